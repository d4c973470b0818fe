"""Fixtures shared by several test modules."""

from __future__ import annotations

import os

import pytest

from tests import pg
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


# --- the store on both backends ------------------------------------------------------------------------------

_pg_skipped = False


def pytest_sessionstart(session: pytest.Session) -> None:
    """CI must run the PostgreSQL tests: without a reachable server it stops here, saying so."""
    required = os.environ.get("NEWSBOT_REQUIRE_POSTGRES") == "1" or os.environ.get("CI") == "true"
    if required and not pg.server_url():
        os.environ[pg.ENV] = pg.DEFAULT_URL  # what .ci/run sets: the server CI machines run
    if not pg.available() and required:  # asked here, outside any event loop, once
        where = f"{pg.ENV}={pg.server_url()!r} is not reachable" if pg.server_url() else f"{pg.ENV} is not set"
        pytest.exit(f"PostgreSQL is required here (CI) but {where}; start PostgreSQL or point {pg.ENV} at a "
                    "server that is", returncode=1)


def require_postgres() -> None:
    global _pg_skipped
    if not pg.available():
        _pg_skipped = True
        pytest.skip("no PostgreSQL (see the line at the end of the run)")


@pytest.fixture(scope="session")
def pg_run_db() -> str | None:
    """This test run's own PostgreSQL database, dropped at the end (None without a server)."""
    if not pg.available():
        yield None
        return
    url = pg.create_database()
    yield url
    pg.drop_database(url)


@pytest.fixture
def pg_db(pg_run_db: str | None) -> str:
    """An empty PostgreSQL database (for tests that only make sense there, e.g. a server restart)."""
    if pg_run_db is None:
        require_postgres()
    pg.reset(pg_run_db)
    return pg_run_db


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path) -> str:
    """NEWSBOT_DB for a fresh store: a SQLite file, or this run's PostgreSQL database, emptied."""
    if request.param == "sqlite":
        return str(tmp_path / "sub" / "newsbot.sqlite")
    return request.getfixturevalue("pg_db")


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's hook signature
    if _pg_skipped:
        terminalreporter.write_line(pg.HOW, yellow=True)
