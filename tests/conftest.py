"""Fixtures shared by several test modules."""

from __future__ import annotations

import pytest

from tests.fakes.fake_openai import FakeOpenAI


@pytest.fixture
async def fake():
    """A fake OpenAI-compatible server on 127.0.0.1. Engines a test registers in `fake.engines` are closed
    (their HTTP clients) before the server stops."""
    server = FakeOpenAI()
    server.engines = []
    await server.start()
    yield server
    while server.engines:
        await server.engines.pop().close()
    await server.close()
