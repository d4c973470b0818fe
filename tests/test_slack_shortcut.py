"""The "Analyze with newsbot" message shortcut end to end: signed payloads in, the fake Slack Web API serving
files.info and the files themselves (url_private, bot token only), the answer in the message's thread."""

from __future__ import annotations

import asyncio
import json
import urllib.parse

import pytest

from bot.config import Settings
from bot.slack.app import RUNTIME
from bot.slack.listeners.shortcuts import PASTED
from tests.fakes.article_server import EXAMPLE, article_html
from tests.fakes.fake_slack import BOT_ID, message_event
from tests.fakes.pdfs import encrypted, scanned_pdf, text_pdf
from tests.fakes.slack_bot import running_bot

ARTICLE = EXAMPLE.read_text()
TITLE = ARTICLE.splitlines()[0]


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, NEWSBOT_FILE_MAX_BYTES="60000") as harness:
        yield harness


def _rendered(call) -> str:
    return json.dumps(call.args.get("blocks", []), ensure_ascii=False) + "\n" + call.args.get("text", "")


def _file_stub(fake_file) -> dict:
    """The file as a message carries it (Slack includes these fields in the shortcut's message)."""
    return {"id": fake_file.id, "name": fake_file.name, "mimetype": fake_file.mimetype,
            "filetype": fake_file.filetype}


async def _answer(bot) -> str:
    """The placeholder's final text, once the analysis (or the reason there is none) replaced it."""
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    [update] = bot.updates()
    return _rendered(update)


async def _told(bot) -> str:
    """What only the user who used the shortcut was told (its response_url)."""
    await bot.fake.wait_for(lambda f: f.of("response_url"))
    [said] = bot.fake.of("response_url")
    assert said.args["response_type"] == "ephemeral"
    return said.args["text"]


async def test_pasted_text_is_analysed_in_the_thread(bot):
    # Slack escapes &, < and > and wraps links; the analysis reads the text as the person sees it.
    text = ARTICLE.replace("City Hall", "City Hall &amp; the <https://port.example/|harbour office>")
    text = text.replace("Varga told reporters", "Varga told <!channel> <@U0123ABCD> reporters")
    status, _, elapsed = await bot.shortcut({"ts": "1700000100.000100", "user": "U0000002", "text": text})
    assert status == 200 and elapsed < 1.0
    rendered = await _answer(bot)
    [placeholder] = bot.replies()
    assert placeholder.args["thread_ts"] == "1700000100.000100" and placeholder.args["channel"] == "C0000001"
    assert placeholder.args["text"] == f"Reading {PASTED}…"
    assert TITLE in rendered and "Elena Varga" in rendered
    assert "Pasted in Slack" in rendered
    # Pasted text is untrusted like any article: shown as words, it pings and links nothing.
    assert "Varga told @\u2060channel @U0123ABCD reporters" in rendered
    for leak in ("<!channel>", "<@U0123ABCD>", "<https://port.example"):
        assert leak not in rendered
    assert not bot.fake.of("response_url")  # nothing needed saying privately


async def test_message_that_is_only_a_link_is_read_as_a_link(bot):
    link = bot.articles.url("/news/water")
    await bot.shortcut({"ts": "1700000101.000100", "text": f"worth a read <{link}>"})
    rendered = await _answer(bot)
    assert bot.replies()[0].args["text"] == "Reading 127.0.0.1…"
    assert TITLE in rendered and bot.articles.hits["/news/water"] == 1
    rt = bot.web_app[RUNTIME]
    shared = await rt.store.shared_links(channel="C0000001")
    assert [(row.message_ts, row.url) for row in shared] == [("1700000101.000100", link)]


async def test_reply_goes_to_the_thread_the_message_is_in(bot):
    await bot.shortcut({"ts": "1700000102.000200", "thread_ts": "1700000102.000100", "text": ARTICLE})
    await _answer(bot)
    assert bot.replies()[0].args["thread_ts"] == "1700000102.000100"


@pytest.mark.parametrize("kind", ["pdf", "html", "text"])
async def test_attached_file_is_downloaded_with_the_bot_token_and_analysed(bot, kind):
    body, mimetype, name = {
        "pdf": (text_pdf(ARTICLE, title=TITLE), "application/pdf", "water.pdf"),
        "html": (article_html(ARTICLE).encode(), "text/html", "water.html"),
        "text": (ARTICLE.encode(), "text/plain", "water.txt"),
    }[kind]
    fake_file = bot.fake.add_file("F0000001", name, body, mimetype, kind)
    await bot.shortcut({"ts": "1700000103.000100", "text": "", "files": [_file_stub(fake_file)]})
    rendered = await _answer(bot)
    assert bot.replies()[0].args["text"] == f"Reading {name}…"
    assert TITLE in rendered and "Elena Varga" in rendered, rendered
    [info] = bot.fake.of("files.info")
    assert info.args["file"] == "F0000001" and info.token == "xoxb-test-token"
    [download] = bot.fake.of("file_download")
    assert download.token == "xoxb-test-token" and download.path == fake_file.path


async def test_file_stub_without_details_is_asked_about(bot):
    """Slack may hand only {"id", "file_access": "check_file_info"}: files.info says what it is."""
    bot.fake.add_file("F0000002", "report.pdf", text_pdf(ARTICLE), "application/pdf", "pdf")
    await bot.shortcut({"ts": "1700000104.000100", "text": "",
                        "files": [{"id": "F0000002", "file_access": "check_file_info"}]})
    assert TITLE in await _answer(bot)


def _huge_pdf() -> bytes:
    return text_pdf("\n\n".join([ARTICLE] * 40), compress=False)  # over the 60 KB cap this fixture sets


@pytest.mark.parametrize(
    "name,body,mimetype,extra,words",
    [
        ("notes.pdf", b"<html><body>Not a PDF at all</body></html>", "application/pdf", {}, "isn't a PDF"),
        ("cut.pdf", text_pdf(ARTICLE)[:900], "application/pdf", {}, "damaged or incomplete"),
        ("locked.pdf", encrypted(text_pdf(ARTICLE)), "application/pdf", {}, "password-protected"),
        ("scan.pdf", scanned_pdf(3), "application/pdf", {}, "no text layer (a scan?)"),
        ("big.pdf", _huge_pdf(), "application/pdf", {}, "the most I read is 60 KB"),
        # files.info understates the size: the cap still holds while the bytes stream in.
        ("liar.pdf", _huge_pdf(), "application/pdf", {"size": 1000, "chunked": True},
         "larger than 60 KB"),
    ],
)
async def test_bad_files_end_in_a_clear_message_in_the_thread(bot, name, body, mimetype, extra, words):
    fake_file = bot.fake.add_file("F0000003", name, body, mimetype, "pdf", **extra)
    await bot.shortcut({"ts": "1700000105.000100", "text": "", "files": [_file_stub(fake_file)]})
    text = (await _answer(bot)).splitlines()[-1]
    assert text.startswith(f":warning: I couldn't read {name}:"), text
    assert words in text, text


async def test_huge_file_is_refused_before_downloading(bot):
    fake_file = bot.fake.add_file("F0000004", "big.pdf", _huge_pdf(), "application/pdf", "pdf")
    await bot.shortcut({"ts": "1700000106.000100", "text": "", "files": [_file_stub(fake_file)]})
    assert "the most I read is 60 KB" in await _answer(bot)
    assert not bot.fake.of("file_download")


@pytest.mark.parametrize("how", ["url_private elsewhere", "redirect elsewhere"])
async def test_file_url_off_the_file_host_is_refused_and_gets_no_token(bot, how):
    elsewhere = bot.articles.add_file("stolen.pdf", text_pdf(ARTICLE))  # 127.0.0.1, another port
    extra = {"url_private": elsewhere} if how == "url_private elsewhere" else {"redirect_to": elsewhere}
    fake_file = bot.fake.add_file("F0000005", "water.pdf", b"", "application/pdf", "pdf", **extra)
    await bot.shortcut({"ts": "1700000107.000100", "text": "", "files": [_file_stub(fake_file)]})
    text = await _answer(bot)
    assert "not Slack's file host, so I didn't follow it" in text, text
    assert bot.articles.hits["/files/stolen.pdf"] == 0


async def test_external_file_is_explained_and_not_fetched(bot):
    elsewhere = bot.articles.add_file("drive.pdf", text_pdf(ARTICLE))
    fake_file = bot.fake.add_file("F0000013", "drive.pdf", b"", "application/pdf", "pdf", url_private=elsewhere,
                                  external=True)
    await bot.shortcut({"ts": "1700000122.000100", "text": "", "files": [_file_stub(fake_file)]})
    assert "stored outside Slack" in await _answer(bot)
    assert bot.articles.hits["/files/drive.pdf"] == 0


async def test_deleted_file_is_explained(bot):
    await bot.shortcut({"ts": "1700000108.000100", "text": "",
                        "files": [{"id": "F404", "name": "gone.pdf", "mimetype": "application/pdf"}]})
    assert "I can't see that file" in await _answer(bot)


async def test_unsupported_file_is_told_to_the_user_only(bot):
    await bot.shortcut({"ts": "1700000109.000100", "text": "look",
                        "files": [{"id": "F0000006", "name": "cat.png", "mimetype": "image/png", "filetype": "png"}]})
    text = await _told(bot)
    assert "an image" in text and "PDF, HTML and plain-text" in text
    assert not bot.replies() and not bot.fake.of("files.info")


@pytest.mark.parametrize(
    "message,words",
    [
        ({"text": "lol same"}, "too short to analyse (2 words)"),
        ({"text": ""}, "no text or file I can read"),
        ({"text": "<https://www.youtube.com/watch?v=x>"}, "not a news article"),
        ({"text": "an earlier answer", "bot_id": BOT_ID}, "one of my own answers"),
    ],
)
async def test_nothing_to_read_is_told_to_the_user_only(bot, message, words):
    status, _, _ = await bot.shortcut({"ts": "1700000110.000100", **message})
    assert status == 200
    assert words in await _told(bot)
    await asyncio.sleep(0.2)
    assert not bot.replies()


@pytest.mark.parametrize("channel,error,words", [("C0000009", "not_in_channel", "/invite @newsbot"),
                                                  ("G0000009", "channel_not_found", "not a member")])
async def test_bot_not_in_the_conversation_says_so_privately(bot, channel, error, words):
    bot.fake.not_in[channel] = error
    fake_file = bot.fake.add_file("F0000007", "water.pdf", text_pdf(ARTICLE), "application/pdf", "pdf")
    await bot.shortcut({"ts": "1700000111.000100", "text": "", "files": [_file_stub(fake_file)]}, channel=channel)
    assert words in await _told(bot)
    # Nothing was read for a conversation the answer could not go to, and nothing went anywhere else.
    assert not bot.fake.of("file_download") and not bot.updates()
    assert all(c.args.get("channel") == channel for c in bot.fake.of("chat.postMessage"))


async def test_link_in_a_channel_without_the_bot_says_so_privately(bot):
    bot.fake.not_in["C0000008"] = "not_in_channel"
    await bot.shortcut({"ts": "1700000112.000100", "text": f"<{bot.articles.url('/news/water')}>"},
                       channel="C0000008")
    assert "/invite @newsbot" in await _told(bot)


async def test_private_channel_answer_stays_in_that_channel(bot):
    fake_file = bot.fake.add_file("F0000010", "memo.pdf", text_pdf(ARTICLE), "application/pdf", "pdf")
    await bot.shortcut({"ts": "1700000113.000100", "text": "", "files": [_file_stub(fake_file)]}, channel="G0000001")
    await _answer(bot)
    posted = bot.fake.of("chat.postMessage") + bot.fake.of("chat.update") + bot.fake.of("chat.postEphemeral")
    assert {c.args["channel"] for c in posted} == {"G0000001"}
    assert not bot.fake.of("response_url")


async def test_pdf_link_in_a_channel_is_read(bot):
    link = bot.articles.add_file("water-report.pdf", text_pdf(ARTICLE, title=TITLE))
    await bot.event(message_event(f"the report: <{link}>", ts="1700000114.000100"))
    rendered = await _answer(bot)
    assert TITLE in rendered and "Elena Varga" in rendered


async def test_scanned_pdf_link_is_answered_plainly(bot):
    link = bot.articles.add_file("scan", scanned_pdf(2), "application/octet-stream")  # known by %PDF
    await bot.event(message_event(f"<{link}>", ts="1700000115.000100"))
    text = await _answer(bot)
    assert "couldn't read 127.0.0.1: This PDF has no text layer (a scan?)" in text, text


# --- what a message offers, and where the token may go (pure functions) -------------------------------------


def test_plain_text_undoes_slack_markup():
    from bot.slack.pasted import plain_text

    slack = "Tom &amp; Jerry &lt;3 <https://x.example/a|the report>, <https://y.example/b>, <@U123|ana>, <!here>"
    assert plain_text(slack) == "Tom & Jerry <3 the report, https://y.example/b, ana, @here"


def test_choose_prefers_a_readable_file_then_a_bare_link_then_text():
    from bot.slack.pasted import choose

    pdf = {"id": "F1", "name": "a.pdf", "mimetype": "application/pdf", "filetype": "pdf"}
    png = {"id": "F2", "name": "b.png", "mimetype": "image/png", "filetype": "png"}
    link = "<https://news.example/story>"
    assert choose({"text": ARTICLE, "files": [png, pdf]}).file.id == "F1"
    assert choose({"text": f"have a look {link}"}).url == "https://news.example/story"
    # A pasted article that names its source is the article, not the link.
    assert choose({"text": f"{ARTICLE}\n{link}"}).kind == "text"
    assert choose({"text": ARTICLE, "files": [png]}).kind == "text"
    assert "an image" in choose({"text": "lol", "files": [png]})


def test_only_slacks_file_host_or_slack_api_urls_own_origin_gets_the_token():
    from bot.slack.files import _origin, allowed_origins

    real = allowed_origins(Settings())
    assert _origin("https://files.slack.com/files-pri/T1-F1/a.pdf") in real
    for url in ("http://files.slack.com/x", "https://files.slack.com.evil.example/x", "https://evil.example/x",
                "https://files.slack.com:8443/x", "ftp://files.slack.com/x"):
        assert _origin(url) not in real, url
    faked = allowed_origins(Settings(slack_api_url="http://127.0.0.1:8080/api/"))
    assert _origin("http://127.0.0.1:8080/files-pri/x") in faked and _origin("http://127.0.0.1:8081/x") not in faked


def test_both_manifests_declare_the_shortcut_and_files_read():
    from bot.slack.listeners.shortcuts import CALLBACK_ID
    from tests.fakes.article_server import EXAMPLE as example

    root = example.parents[1]
    for name in ("manifest.yml", "manifest.socket.yml"):
        text = (root / name).read_text()
        assert f"callback_id: {CALLBACK_ID}" in text and "type: message" in text, name
        assert "\n      - files:read\n" in text, name


async def test_shortcut_over_socket_mode(tmp_path):
    """Socket Mode: the shortcut's envelope is acked over the WebSocket and the PDF answered in the thread."""
    from bot.config import load_settings
    from bot.slack.app import run_socket_mode
    from tests.fakes.fake_slack import FakeSlack, shortcut_body

    fake = await FakeSlack(bot_token="xoxb-socket").start()
    fake_file = fake.add_file("F0000011", "water.pdf", text_pdf(ARTICLE, title=TITLE), "application/pdf", "pdf")
    settings = load_settings({
        "SLACK_BOT_TOKEN": "xoxb-socket", "SLACK_APP_TOKEN": "xapp-1-socket", "SLACK_API_URL": fake.api_url,
        "NEWSBOT_ENGINE": "offline", "NEWSBOT_DB": str(tmp_path / "db.sqlite"),
    })
    task = asyncio.create_task(run_socket_mode(settings))
    try:
        await fake.wait_for(lambda f: f.of("socket_connect"))
        body = shortcut_body({"ts": "1700000120.000100", "text": "", "files": [_file_stub(fake_file)]},
                             fake.response_url("s"))
        payload = json.loads(dict(urllib.parse.parse_qsl(body))["payload"])
        envelope = await fake.send_envelope("interactive", payload)
        await fake.wait_for(lambda f: f.of("chat.update"))
        assert fake.of("socket_ack")[0].args["envelope_id"] == envelope
        assert fake.of("file_download")[0].token == "xoxb-socket"
        assert TITLE in _rendered(fake.of("chat.update")[0])
        assert fake.of("chat.postMessage")[0].args["thread_ts"] == "1700000120.000100"
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await fake.stop()


async def test_file_host_refusing_the_token_is_explained(bot):
    """Without files:read, Slack's file host sends the bot to its sign-in page: not followed, and said."""
    bot.fake.bot_token = "xoxb-another-app"
    fake_file = bot.fake.add_file("F0000012", "water.pdf", text_pdf(ARTICLE), "application/pdf", "pdf")
    await bot.shortcut({"ts": "1700000121.000100", "text": "", "files": [_file_stub(fake_file)]})
    text = await _answer(bot)
    assert "led to fake.slack.com, not Slack's file host" in text and "files:read" in text, text
    assert len(bot.fake.of("file_download")) == 1  # the redirect was not followed


@pytest.mark.parametrize(
    "message,status",
    [
        ({"ts": "1700000130.000100", "text": "", "files": "F123"}, 200),
        ({"ts": "1700000130.000100", "text": "", "files": [None, 7, {"id": 5}, {"name": "no-id.pdf"}]}, 200),
        ({"ts": "1700000130.000100", "text": ["not", "text"]}, 400),  # the gate refuses it before Bolt
        ({"ts": 1700000130, "text": ARTICLE}, 400),
    ],
)
async def test_odd_shortcut_payloads_are_answered_not_crashed(bot, message, status):
    assert (await bot.shortcut(message))[0] == status
    if status == 200:
        assert "no text or file I can read" in await _told(bot)
    assert not bot.replies()


async def test_pdfs_through_worker_processes(tmp_path):
    """With a worker pool, a PDF link's bytes reach the worker (HTML pages go without theirs), a file from
    the shortcut is read there too, and a PDF's error comes back as its sentence."""
    async with running_bot(tmp_path, NEWSBOT_WORKER_PROCESSES="1") as bot:
        link = bot.articles.add_file("report.pdf", text_pdf(ARTICLE, title=TITLE))
        scan = bot.articles.add_file("scan.pdf", scanned_pdf(2))
        fake_file = bot.fake.add_file("F0000014", "water.pdf", text_pdf(ARTICLE), "application/pdf", "pdf")
        await bot.event(message_event(f"<{link}> <{scan}>", ts="1700000140.000100"))
        await bot.shortcut({"ts": "1700000141.000100", "text": "", "files": [_file_stub(fake_file)]})
        await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 3, timeout=60)
        rendered = sorted(_rendered(u) for u in bot.updates())
        assert sum(TITLE in r and "Elena Varga" in r for r in rendered) == 2
        assert any("This PDF has no text layer (a scan?)" in r for r in rendered)
