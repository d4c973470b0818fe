"""SSRF forms, one table row each, through the whole app and real HTTP: a signed Slack message carries the
link, the bot's fetcher faces an article server on 127.0.0.1 that counts every hit.

The bot may fetch only `news.test` (NEWSBOT_FETCH_ALLOW_HOSTS), which this test's resolver maps to the
article server. Every other spelling of that same server (127.0.0.1 in decimal, octal, hex, IPv6,
IPv4-mapped, `localhost.`, behind userinfo or a redirect) must be refused with a sentence, and the server
must see no request for the target page at all."""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import quote

import pytest

from tests.fakes.fake_slack import message_event
from tests.fakes.slack_bot import PING, crashes, rendered, running_bot

ALLOWED = "news.test"
TARGET = "/news/water"
REFUSED = "so I won't fetch it"

# {p}: the article server's port. Each form reaches the article server if the guard lets it through.
FORMS = [
    "http://127.0.0.1:{p}" + TARGET,
    "http://2130706433:{p}" + TARGET,  # decimal
    "http://017700000001:{p}" + TARGET,  # octal, one number
    "http://0177.0.0.1:{p}" + TARGET,  # octal, dotted
    "http://0x7f000001:{p}" + TARGET,  # hex, one number
    "http://0x7f.0x0.0x0.0x1:{p}" + TARGET,  # hex, dotted
    "http://0x7f.1:{p}" + TARGET,  # mixed, short
    "http://127.1:{p}" + TARGET,  # short
    "http://0:{p}" + TARGET,  # 0.0.0.0, which Linux connects to this machine
    "http://0.0.0.0:{p}" + TARGET,
    "http://[::1]:{p}" + TARGET,  # IPv6 loopback
    "http://[::]:{p}" + TARGET,
    "http://[::ffff:127.0.0.1]:{p}" + TARGET,  # IPv4-mapped
    "http://[::ffff:7f00:1]:{p}" + TARGET,  # IPv4-mapped, hex
    "http://[0:0:0:0:0:ffff:127.0.0.1]:{p}" + TARGET,  # IPv4-mapped, spelt out
    "http://[64:ff9b::7f00:1]:{p}" + TARGET,  # NAT64 of loopback
    "http://[2002:7f00:1::]:{p}" + TARGET,  # 6to4 of loopback
    "http://localhost:{p}" + TARGET,
    "http://localhost.:{p}" + TARGET,
    "http://LOCALHOST:{p}" + TARGET,
    "http://news.test@127.0.0.1:{p}" + TARGET,  # userinfo: the host is after the @
    "http://news.test:{p}@127.0.0.1:{p}" + TARGET,
    "http://user:pass@localhost:{p}" + TARGET,
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://10.0.0.1/admin",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
]


@pytest.fixture
async def bot(tmp_path, monkeypatch):
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def resolver(host, port, *args, **kwargs):
        if str(host).lower().rstrip(".") == ALLOWED:
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", port))]
        return await real(host, port, *args, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", resolver)
    async with running_bot(tmp_path, NEWSBOT_FETCH_ALLOW_HOSTS=ALLOWED) as harness:
        harness.port = harness.articles.base.rsplit(":", 1)[1]
        yield harness


def _allowed_url(bot, path: str) -> str:
    return f"http://{ALLOWED}:{bot.port}{path}"


async def _answer(bot, text: str) -> str:
    status, _, _ = await bot.event(message_event(text))
    assert status == 200
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    [update] = bot.updates()
    return rendered(update)


async def test_the_allowed_name_is_fetched(bot):
    """The control: the same server under its allowed name is read, so a zero count below means refused."""
    shown = await _answer(bot, f"<{_allowed_url(bot, TARGET)}>")
    assert "Harbor city" in shown and bot.articles.hits[TARGET] == 1


@pytest.mark.parametrize("form", FORMS)
async def test_link_to_a_refused_address(bot, caplog, form):
    shown = await _answer(bot, f"<{form.format(p=bot.port)}>")
    assert REFUSED in shown and shown.count(":warning: I couldn't read") == 2, shown  # blocks and text
    assert bot.articles.hits[TARGET] == 0
    assert not PING.search(shown) and not crashes(caplog.records)


@pytest.mark.parametrize("form", FORMS)
async def test_redirect_into_a_refused_address(bot, caplog, form):
    link = _allowed_url(bot, "/redirect?to=" + quote(form.format(p=bot.port), safe=""))
    shown = await _answer(bot, f"<{link}>")
    assert REFUSED in shown, shown
    assert bot.articles.hits["/redirect"] == 1 and bot.articles.hits[TARGET] == 0
    assert not crashes(caplog.records)


@pytest.mark.parametrize("hops", [2, 4])
async def test_redirect_chain_into_a_refused_address(bot, caplog, hops):
    target = f"http://2130706433:{bot.port}{TARGET}"
    for _ in range(hops - 1):
        target = _allowed_url(bot, "/redirect?to=" + quote(target, safe=""))
    shown = await _answer(bot, f"<{_allowed_url(bot, '/redirect?to=' + quote(target, safe=''))}>")
    assert REFUSED in shown and bot.articles.hits["/redirect"] == hops and bot.articles.hits[TARGET] == 0
    assert not crashes(caplog.records)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1:70/", "ftp://news.test/x",
                                    "javascript:alert(1)", "data:text/html,<p>x</p>", "dict://127.0.0.1:11211/"])
async def test_redirect_to_another_scheme(bot, caplog, target):
    shown = await _answer(bot, f"<{_allowed_url(bot, '/redirect?to=' + quote(target, safe=''))}>")
    assert "redirected to something other than a web page" in shown, shown
    assert not crashes(caplog.records)


SCHEMES = ["gopher://127.0.0.1:{p}" + TARGET, "file:///etc/passwd", "ftp://news.test/x", "dict://127.0.0.1:11211/",
           "ldap://127.0.0.1/", "javascript:alert(1)", "data:text/html,hi", "HTTPX://news.test/x"]


@pytest.mark.parametrize("link", SCHEMES)
async def test_other_schemes_in_a_message_are_ignored(bot, caplog, link):
    await bot.event(message_event(f"<{link.format(p=bot.port)}> and {link.format(p=bot.port)}"))
    await asyncio.sleep(0.3)
    assert not bot.replies() and not sum(bot.articles.hits.values())
    assert not crashes(caplog.records)


@pytest.mark.parametrize("link", [s for s in SCHEMES if "://" in s])
async def test_other_schemes_in_a_command_are_answered(bot, caplog, link):
    status, body, _ = await bot.command("/claims", link.format(p=bot.port))
    assert status == 200 and "I only read http and https links" in body, body
    assert not sum(bot.articles.hits.values()) and not crashes(caplog.records)


@pytest.mark.parametrize("form", FORMS[:12])
async def test_refused_address_in_a_command(bot, caplog, form):
    await bot.command("/sources", form.format(p=bot.port))
    await bot.fake.wait_for(lambda f: f.of("response_url"))
    assert REFUSED in rendered(bot.fake.of("response_url")[0])
    assert bot.articles.hits[TARGET] == 0 and not crashes(caplog.records)
