"""Malformed, forged and oversized Slack requests, one table row each, sent over real HTTP to the real app.

Unsigned or badly signed garbage is refused with 400/401/413 and exactly one log line; a signed payload with
fields missing or of the wrong type is refused (400) or quietly ignored; none of it crashes (no traceback in
the log), fetches anything it should not, or posts anything that pings."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.slack.app import RUNTIME
from bot.slack.blocks import SHARE_ACTION
from tests.fakes.fake_slack import action_body, command_body, message_event, signed_headers
from tests.fakes.slack_bot import PING, SECRET, crashes, rendered, running_bot

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


async def _raw(bot, body: bytes | str, headers: dict[str, str]) -> int:
    async with bot.session.post(bot.url, data=body, headers=headers) as resp:
        return resp.status


def _warnings(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.levelno >= logging.WARNING]


def _signed_with(body: str, **overrides: str) -> dict[str, str]:
    return {**signed_headers(SECRET, body), **overrides}


# --- unsigned garbage: refused before anything is parsed ------------------------------------------------------

GOOD_SIG = "v0=" + "0" * 64
UNSIGNED = [
    ("[1]", {"Content-Type": JSON}, 401),
    ("{x", {"Content-Type": JSON}, 401),
    ("payload=%7B", {"Content-Type": FORM}, 401),
    ("{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": GOOD_SIG}, 401),
    ("{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": "", "X-Slack-Signature": GOOD_SIG}, 401),
    ("{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": "1e10", "X-Slack-Signature": GOOD_SIG}, 401),
    ("{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": "-1", "X-Slack-Signature": GOOD_SIG}, 401),
    ("{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": "9" * 40, "X-Slack-Signature": GOOD_SIG}, 401),
    ("{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v1=x"}, 401),
    ("{}", {"Content-Type": JSON, "X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": GOOD_SIG}, 401),
    ("", {}, 401),
    (b"\xff\xfe\x00garbage", {"Content-Type": JSON}, 401),
    ('{"type":"url_verification","challenge":"x"}', {"Content-Type": JSON}, 401),
    ("x" * (1024 * 1024 + 10), {"Content-Type": JSON}, 413),
]


@pytest.mark.parametrize(("body", "headers", "status"), UNSIGNED, ids=range(len(UNSIGNED)))
async def test_unsigned_garbage_is_refused_with_one_line(bot, caplog, body, headers, status):
    assert await _raw(bot, body, headers) == status
    await asyncio.sleep(0.05)
    assert len(_warnings(caplog.records)) == 1 and "refused a request" in _warnings(caplog.records)[0]
    assert not crashes(caplog.records) and not bot.fake.calls[1:]  # only start-up's auth.test


@pytest.mark.parametrize("how", ["wrong secret", "stale", "body changed"])
async def test_forged_interactive_payloads_are_refused(bot, caplog, how):
    body = action_body(SHARE_ACTION, json.dumps({"v": "claims", "u": bot.articles.url("/news/water")}),
                       bot.fake.response_url("forged"))
    headers = signed_headers(SECRET, body, content_type=FORM)
    if how == "wrong secret":
        headers = signed_headers("guessed", body, content_type=FORM)
    elif how == "stale":
        headers = signed_headers(SECRET, body, content_type=FORM, timestamp=int(time.time()) - 3600)
    else:
        body = body.replace("claims", "thread")
    assert await _raw(bot, body, headers) == 401
    await asyncio.sleep(0.2)
    assert not bot.fake.of("response_url") and not bot.articles.hits
    assert len(_warnings(caplog.records)) == 1


async def test_a_chunked_body_over_the_size_limit_is_refused(bot, caplog):
    async def chunks():
        for _ in range(40):
            yield b"x" * 65536

    assert await _raw(bot, chunks(), {"Content-Type": JSON}) == 413
    assert len(_warnings(caplog.records)) == 1 and not crashes(caplog.records)


async def test_a_signed_body_over_the_size_limit_is_refused(bot, caplog):
    event = message_event("<https://example.com/a> " + "y" * 1_100_000)
    body = json.dumps(event)
    assert await _raw(bot, body, _signed_with(body)) == 413
    assert len(_warnings(caplog.records)) == 1 and not crashes(caplog.records)


# --- signed but malformed: refused or ignored, never a crash -----------------------------------------------------

def _event(**event: object) -> str:
    base = message_event("<{link}>")
    base["event"] = {k: v for k, v in {**base["event"], **event}.items() if v is not ...}
    return json.dumps(base)


def _envelope(**fields: object) -> str:
    base = message_event("<{link}>")
    return json.dumps({k: v for k, v in {**base, **fields}.items() if v is not ...})


ANSWERED = 200.5  # acked with 200, and the link in the message is answered as any other
# An Events API callback that is signed and well formed is acked at the door, before Bolt looks for a
# listener: one nobody handles is acked with 200 and ignored (a 404 would only make Slack send it again).
IGNORED = 200
MALFORMED_EVENTS = [
    ("[1]", 400), ("{x", 400), ('"x"', 400), ("null", 400), ("1", 400), ("[" * 100_000, 400),
    ('{"type":"event_callback","event":[]}', 400),
    ('{"type":"event_callback","event":"message"}', 400),
    (_event(channel=["C1"]), 400), (_event(channel={"id": 5}), 400), (_event(text=5), 400),
    (_event(text={"a": 1}), 400), (_event(ts=1700000000.1), 400), (_event(subtype=["x"]), 400),
    (_event(thread_ts=True), 400), (_event(type=None), IGNORED), (_event(user={"id": "U1"}), ANSWERED),
    (_envelope(event_id=7), 400), (_envelope(authorizations="x"), 400), (_envelope(authorizations=[1]), 400),
    (_envelope(team={"id": 5}), 400), (_envelope(team_id=["T1"]), 400),
    (_event(channel=...), 200), (_event(ts=...), 200), (_event(text=...), 200),
    (_envelope(event=...), IGNORED), (_envelope(type=...), 404),
    (_event(type="reaction_added"), IGNORED), ("{}", 404), ("", 404),
    (_event(type="link_shared", links="x"), 400), (_event(type="link_shared", links=[1, 2]), 400),
    (_event(type="link_shared", links=[{"url": 5}, {"domain": "x"}]), 200),
    (json.dumps({"type": "url_verification"}), 200),
]


@pytest.mark.parametrize(("body", "status"), MALFORMED_EVENTS, ids=range(len(MALFORMED_EVENTS)))
async def test_malformed_signed_events(bot, caplog, body, status):
    body = body.replace("{link}", bot.articles.url("/news/water"))
    assert await _raw(bot, body, _signed_with(body)) == int(status)
    if status == ANSWERED:
        await bot.fake.wait_for(lambda f: f.of("chat.update"))
        assert "Harbor city" in rendered(bot.updates()[0])
    else:
        await asyncio.sleep(0.3)
        assert not bot.replies() and not bot.articles.hits
    assert not crashes(caplog.records), crashes(caplog.records)
    assert len(_warnings(caplog.records)) <= 1


def _action(value: object = ..., **fields: object) -> str:
    payload = json.loads(dict(parse_qsl(
        action_body(SHARE_ACTION, "v", "{response_url}")))["payload"])
    if value is not ...:
        payload["actions"][0]["value"] = value
    else:
        payload["actions"][0].pop("value")
    payload.update({k: v for k, v in fields.items() if v is not ...})
    for k, v in fields.items():
        if v is ...:
            payload.pop(k, None)
    return urlencode({"payload": json.dumps(payload)})


OLDER = "older version"
MALFORMED_ACTIONS = [
    ("payload=%7B", 400, None), ("payload=%5B1%5D", 400, None), ("payload=null", 400, None),
    (_action(actions="x"), 400, None), (_action(actions=[1]), 400, None), (_action(actions=[]), 400, None),
    (_action(actions=[{"action_id": 5}]), 400, None), (_action(type="view_submission"), 404, None),
    (_action(type="shortcut", actions=...), 404, None), (_action(type=...), 404, None),
    (_action(), 200, OLDER), (_action("not json"), 200, OLDER), (_action("[1]"), 200, OLDER),
    (_action('{"v":"evil","u":"https://x.example/"}'), 200, OLDER), (_action('{"v":"thread","u":5}'), 200, OLDER),
    (_action('{"v":"thread"}'), 200, OLDER), (_action('{"v":"thread","u":""}'), 200, OLDER),
    (_action('{"v":"claims","u":"http://169.254.169.254/latest/meta-data/"}'), 200, "won't fetch"),
    (_action('{"v":"claims","u":"javascript:alert(1)"}'), 200, "only fetch http and https"),
    (_action('{"v":"claims","u":"http://10.0.0.1/"}', user="U0000001"), 200, "won't fetch"),
    (_action('{"v":"claims","u":"http://10.0.0.1/"}', user=..., channel=..., container=...), 200, "won't fetch"),
    (_action("not json", response_url=...), 200, None), (_action('{"v":"claims","u":"http://10.0.0.1/"}',
                                                                  response_url=...), 200, None),
]


@pytest.mark.parametrize(("body", "status", "answer"), MALFORMED_ACTIONS, ids=range(len(MALFORMED_ACTIONS)))
async def test_malformed_and_forged_interactive_payloads(bot, caplog, body, status, answer):
    body = body.replace("%7Bresponse_url%7D", bot.fake.response_url("a").replace(":", "%3A").replace("/", "%2F"))
    assert await _raw(bot, body, _signed_with(body, **{"Content-Type": FORM})) == status
    if answer:
        await bot.fake.wait_for(lambda f: f.of("response_url"))
        [reply] = bot.fake.of("response_url")
        assert answer in reply.args["text"] and reply.args.get("response_type") != "in_channel"
    else:
        await asyncio.sleep(0.3)
        assert not bot.fake.of("response_url")
    assert not crashes(caplog.records), crashes(caplog.records)
    assert not bot.articles.hits and not bot.replies()


MALFORMED_COMMANDS = [
    ({"text": ...}, "/claims URL"), ({"text": ""}, "/claims URL"), ({"text": "<!channel> <@U1>"}, "couldn't find"),
    ({"command": "/evil"}, None), ({"text": "gopher://x.example/"}, "only read http and https"),
    ({"text": "x" * 40_000}, "couldn't find"), ({"response_url": ..., "text": "http://10.0.0.1/x"}, "Reading 10.0.0.1"),
]


@pytest.mark.parametrize(("fields", "answer"), MALFORMED_COMMANDS, ids=range(len(MALFORMED_COMMANDS)))
async def test_malformed_commands(bot, caplog, fields, answer):
    form = dict(parse_qsl(command_body("/claims", "", bot.fake.response_url("c")), keep_blank_values=True))
    form.update({k: v for k, v in fields.items() if v is not ...})
    for k in [k for k, v in fields.items() if v is ...]:
        form.pop(k)
    body = urlencode(form)
    async with bot.session.post(bot.url, data=body, headers=_signed_with(body, **{"Content-Type": FORM})) as r:
        text = await r.text()
        assert r.status == (200 if answer else 404)
    if answer:
        assert answer in text, text
        assert not PING.search(text)
    await asyncio.sleep(0.2)
    assert not crashes(caplog.records) and not bot.articles.hits


# --- big but well-formed ---------------------------------------------------------------------------------------

async def test_a_40k_message_with_hundreds_of_links_gets_the_usual_few_answers(bot, caplog):
    links = [bot.articles.add(f"s{i}", f"Story {i}\n\nThe mayor said on Monday that story {i} was true.")
             for i in range(400)]
    text = " ".join(f"<{u}|{u}> <!channel>" for u in links)
    text = (text + " " + "<!here> " * 40_000)[:40_000]
    status, _, _ = await bot.event(message_event(text))
    assert status == 200
    await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 3, timeout=20)
    await asyncio.sleep(0.3)
    assert len(bot.replies()) == 3 and sum(bot.articles.hits.values()) == 3  # NEWSBOT_MAX_LINKS_PER_MESSAGE
    assert not any(PING.search(rendered(c)) for c in bot.fake.calls if c.method.startswith("chat."))
    assert not crashes(caplog.records)


async def test_a_40k_command_with_hundreds_of_links_gets_one_answer(bot, caplog):
    text = " ".join(bot.articles.url(f"/news/water?n={i}") for i in range(600))[:40_000]
    status, body, _ = await bot.command("/claims", text)
    assert status == 200 and "Reading 127.0.0.1" in body
    await bot.fake.wait_for(lambda f: f.of("response_url"))
    await asyncio.sleep(0.3)
    assert len(bot.fake.of("response_url")) == 1 and sum(bot.articles.hits.values()) == 1
    assert not crashes(caplog.records)


async def test_mentions_only_are_not_answered(bot):
    await bot.event(message_event("<!channel> <!here> <@U0123> " * 1000))
    await asyncio.sleep(0.3)
    assert not bot.replies()


# --- defect: a 3,000-character host ------------------------------------------------------------------------------

LONG_HOST = ".".join(["a" * 60] * 50) + ".example"  # 3,058 characters


async def test_a_3000_character_host_is_answered_everywhere_and_shutdown_still_closes(tmp_path, caplog):
    link = f"https://{LONG_HOST}/story"
    async with running_bot(tmp_path) as bot:
        await bot.event(message_event(f"<{link}>"))
        await bot.fake.wait_for(lambda f: f.of("chat.update"))
        update = bot.updates()[0]
        assert update.args["text"].startswith(":warning: I couldn't read " + "a" * 60)
        assert len(update.args["blocks"][0]["text"]["text"]) <= 3000

        await bot.command("/claims", link, name="long")
        await bot.fake.wait_for(lambda f: f.of("response_url"))
        assert "couldn't read" in bot.fake.of("response_url")[0].args["text"]

        value = json.dumps({"v": "claims", "u": link, "n": "1"})
        await bot.post(action_body(SHARE_ACTION, value, bot.fake.response_url("share")), content_type=FORM)
        await bot.fake.wait_for(lambda f: len(f.of("response_url")) == 2)
        assert "couldn't read" in bot.fake.of("response_url")[1].args["text"]

        # A placeholder still "Reading…" at shutdown, for the long host: edited, and everything closed.
        rt = bot.web_app[RUNTIME]
        rt.pending[("C0000001", "1700000000.000001")] = "a" * 3000
        session, store = rt.session, rt.store
    assert session.closed
    assert any(c.args.get("ts") == "1700000000.000001" for c in bot.fake.of("chat.update"))
    with pytest.raises(ValueError):
        await store.get_analysis("x")  # closed
    assert not crashes(caplog.records), crashes(caplog.records)


async def test_shutdown_closes_everything_even_when_a_step_fails(tmp_path, caplog):
    async with running_bot(tmp_path) as bot:
        rt = bot.web_app[RUNTIME]

        async def broken() -> None:
            raise RuntimeError("queue broke")

        rt.queue.close = broken
        session, store = rt.session, rt.store
    assert session.closed
    with pytest.raises(ValueError):
        await store.get_analysis("x")
    assert any("queue broke" in (r.getMessage() + str(r.exc_info)) for r in caplog.records)


# --- defect: Share clicked twice ---------------------------------------------------------------------------------

async def _claims_answer(bot) -> dict:
    await bot.command("/claims", bot.articles.url("/news/water"))
    await bot.fake.wait_for(lambda f: f.of("response_url"))
    answer = bot.fake.of("response_url")[0]
    return next(b for b in answer.args["blocks"] if b["type"] == "actions")["elements"][0]


async def test_share_clicked_twice_posts_once(bot):
    button = await _claims_answer(bot)
    click = action_body(SHARE_ACTION, button["value"], bot.fake.response_url("share"))
    statuses = await asyncio.gather(*(bot.post(click, content_type=FORM) for _ in range(2)))
    assert [s for s, _, _ in statuses] == [200, 200]
    await bot.fake.wait_for(lambda f: any(c.args.get("response_type") == "in_channel" for c in f.of("response_url")))
    await asyncio.sleep(0.5)
    posted = [c for c in bot.fake.of("response_url") if c.args.get("response_type") == "in_channel"]
    assert len(posted) == 1
    # A new /claims answer has a button of its own, which can be shared again.
    bot.fake.calls.clear()
    second = await _claims_answer(bot)
    assert second["value"] != button["value"]
    await bot.post(action_body(SHARE_ACTION, second["value"], bot.fake.response_url("again")), content_type=FORM)
    await bot.fake.wait_for(lambda f: any(c.args.get("response_type") == "in_channel" for c in f.of("response_url")))


async def test_share_clicked_in_two_processes_posts_once(tmp_path):
    """Two app instances on one database (as two `newsbot serve` processes): the claim is in the store."""
    from tests.fakes.fake_slack import FakeSlack

    fake = await FakeSlack().start()
    async with running_bot(tmp_path, fake=fake) as first, running_bot(tmp_path, fake=fake) as second:
        button = await _claims_answer(first)
        click = action_body(SHARE_ACTION, button["value"], fake.response_url("share"))
        await asyncio.gather(first.post(click, content_type=FORM), second.post(click, content_type=FORM))
        await fake.wait_for(lambda f: any(c.args.get("response_type") == "in_channel" for c in f.of("response_url")))
        await asyncio.sleep(0.5)
        posted = [c for c in fake.of("response_url") if c.args.get("response_type") == "in_channel"]
        assert len(posted) == 1



# --- Socket Mode: the same shape check -------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    {"type": "event_callback", "event": []},
    {"type": "event_callback", "event": {"type": "message", "channel": ["C1"], "text": "x", "ts": "1.1"}},
    {"type": "block_actions", "actions": []},
    {"type": "block_actions", "actions": "x", "response_url": "x"},
])
async def test_malformed_socket_mode_envelopes_are_acked_and_ignored(tmp_path, caplog, payload):
    from bot.config import load_settings
    from bot.slack.app import run_socket_mode
    from tests.fakes.fake_slack import FakeSlack

    fake = await FakeSlack().start()
    settings = load_settings({
        "SLACK_BOT_TOKEN": "xoxb-socket", "SLACK_APP_TOKEN": "xapp-1-socket", "SLACK_API_URL": fake.api_url,
        "NEWSBOT_ENGINE": "offline", "NEWSBOT_DB": str(tmp_path / "db.sqlite"),
    }, dotenv=False)
    task = asyncio.create_task(run_socket_mode(settings))
    try:
        await fake.wait_for(lambda f: f.of("socket_connect"))
        envelope = await fake.send_envelope("events_api", payload)
        await fake.wait_for(lambda f: f.of("socket_ack"))
        assert fake.of("socket_ack")[0].args["envelope_id"] == envelope
        await asyncio.sleep(0.2)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await fake.stop()
    assert not crashes(caplog.records), crashes(caplog.records)
    assert any("ignored a Socket Mode envelope" in m for m in _warnings(caplog.records))
    assert not fake.of("chat.postMessage")
