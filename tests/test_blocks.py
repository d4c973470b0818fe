import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis.model import (
    Analysis,
    Claim,
    Cue,
    Flag,
    Link,
    Quote,
    Sentence,
    Source,
    Speaker,
    SummaryItem,
)
from bot.slack import block_kit as kit
from bot.slack import blocks as b
from bot.slack.mrkdwn import LINK_LABEL_MAX

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "article.txt"
HOSTILE = "<!channel> <!here> @here @channel <@U123ABC> <#C999|general> <https://evil.example|click> & more"


def _texts(message: b.Message) -> list[str]:
    """Every string Slack will render, from blocks and the fallback."""
    out = [message.text]

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.blocks)
    return out


def _check_limits(message: b.Message) -> None:
    assert message.text
    assert len(message.blocks) <= kit.MAX_BLOCKS
    total = 0
    for block in message.blocks:
        if block["type"] == "header":
            assert 0 < len(block["text"]["text"]) <= kit.HEADER_MAX
            total += len(block["text"]["text"])
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= kit.SECTION_MAX
            total += len(block["text"]["text"])
        if block["type"] == "context":
            total += sum(len(e["text"]) for e in block["elements"])
    assert total + len(message.text) < 3900, total + len(message.text)
    json.dumps(message.blocks)


def _no_leaks(message: b.Message) -> None:
    for text in _texts(message):
        for bad in ("<!channel>", "<!here>", "<@U123ABC>", "<#C999", "<https://evil", "@here", "@channel"):
            assert bad not in text, (bad, text)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def example_analysis() -> Analysis:
    """A hand-made analysis of the example article (independent of how far the offline engine has got)."""
    text = EXAMPLE.read_text()
    sentences = []
    for i, needle in enumerate([
        "We are not going to take chances with people's health,",
        "Those figures could not be independently verified.",
        "Residents have reportedly begun stockpiling bottled water",
    ]):
        start, end = _span(text, needle)
        sentences.append(Sentence(id=i, start=start, end=end))
    cue_start, cue_end = _span(text, "could not be independently verified")
    verified = Cue(text="could not be independently verified", start=cue_start, end=cue_end, type="unverified")
    cue_start, cue_end = _span(text, "reportedly")
    reportedly = Cue(text="reportedly", start=cue_start, end=cue_end, type="reported")
    q_start, q_end = _span(text, "We are not going to take chances with people's health,")
    return Analysis(
        source=Source(url="https://news.example.com/a", title=text.splitlines()[0], site="news.example.com",
                      published="2026-11-24T10:00:00Z"),
        text=text,
        sentences=sentences,
        summary=[SummaryItem(text="City officials ordered residents to stop drinking tap water.", sentence_ids=[0])],
        quotes=[Quote(speaker=Speaker(name="Elena Varga", title="Mayor"), text=text[q_start:q_end], start=q_start,
                      end=q_end, kind="direct", sentence_id=0)],
        claims=[
            Claim(id="c1", text="Its own samples showed no danger to drinking water.", sentence_ids=[1],
                  source=Speaker(name="Calloway Resins", kind="organization"), status="unconfirmed",
                  cues=[verified]),
            Claim(id="c2", text="Residents have reportedly begun stockpiling bottled water.", sentence_ids=[2],
                  source=Speaker(name="", kind="author"), status="unconfirmed", cues=[reportedly]),
        ],
        flags=[Flag(sentence_id=1, level="unconfirmed", cues=[verified]),
               Flag(sentence_id=2, level="unconfirmed", cues=[reportedly])],
        links=[Link(url="https://deq.example.gov/report", text="inspection report")],
    )


def _hostile(n: int, size: int) -> Analysis:
    body = (HOSTILE + " ") * (size // len(HOSTILE) + 1)
    text = body
    sentence = Sentence(id=0, start=0, end=len(text))
    cue = Cue(text="<!channel> reportedly", start=0, end=10, type="reported")
    speaker = Speaker(name=HOSTILE, title=HOSTILE, kind="person")
    return Analysis(
        source=Source(url="https://src.example/x", title=HOSTILE * 10, site=HOSTILE, author=HOSTILE,
                      published=HOSTILE, kind="opinion"),
        text=text,
        sentences=[sentence],
        summary=[SummaryItem(text=body, sentence_ids=[0]) for _ in range(n)],
        quotes=[Quote(speaker=speaker.model_copy(update={"name": f"{HOSTILE} {i}"}), text=body, start=0,
                      end=1, kind="direct" if i % 2 else "indirect", sentence_id=0) for i in range(n)],
        claims=[Claim(id=f"c{i}", text=body, sentence_ids=[0], source=speaker, status="unconfirmed",
                      cues=[cue]) for i in range(n)],
        flags=[Flag(sentence_id=0, level="hedged", cues=[cue]) for _ in range(n)],
        links=[Link(url="https://evil.example/<!channel>|x", text=HOSTILE) for _ in range(n)]
        + [Link(url="javascript:alert(1)", text="js")],
        warnings=[HOSTILE] * 5,
    )


@pytest.mark.parametrize("view", b.VIEWS)
def test_example_article_views(view):
    message = b.analysis_message(example_analysis(), view, elapsed=0.42, share_value='{"u":"x"}')
    _check_limits(message)
    rendered = "\n".join(_texts(message))
    assert message.blocks[0]["type"] == "header"
    assert "Harbor city weighs" in message.blocks[0]["text"]["text"]
    if view in ("thread", "sources"):
        assert "Elena Varga" in rendered
    if view in ("thread", "claims"):
        assert "⚠ *unconfirmed*" in rendered
    assert "offline engine" in rendered and "0.4 s" in rendered
    actions = [blk for blk in message.blocks if blk["type"] == "actions"]
    assert actions and actions[0]["elements"][0]["action_id"] == b.SHARE_ACTION


@pytest.mark.parametrize("view", b.VIEWS)
@pytest.mark.parametrize("n,size", [(0, 10), (1, 100), (3, 50000), (200, 400), (1000, 2000)])
def test_huge_and_hostile_analyses_stay_in_limits_and_never_ping(view, n, size):
    message = b.analysis_message(_hostile(n, size), view, elapsed=1.0, share_value="v", shared_by="U0SHARER")
    _check_limits(message)
    _no_leaks(message)
    rendered = "\n".join(_texts(message))
    if n > 5:
        assert "more_" in rendered  # trimmed with "…and N more", not dropped silently
    assert "<@U0SHARER>" in rendered  # our own mention of the sharer is kept


def test_mrkdwn_is_verbatim_so_slack_does_not_autolink():
    message = b.analysis_message(_hostile(2, 100), "thread")
    for block in message.blocks:
        if block["type"] == "section":
            assert block["text"]["verbatim"] is True


def test_links_view_only_links_http_urls():
    analysis = example_analysis().model_copy(update={"links": [
        Link(url="https://ok.example/a?x=1&y=2", text="Report"),
        Link(url="javascript:alert(1)", text="bad"),
        Link(url="https://bad.example/a|b", text="pipe"),
    ]})
    rendered = "\n".join(_texts(b.analysis_message(analysis, "sources")))
    assert "<https://ok.example/a?x=1&amp;y=2|Report>" in rendered
    assert "javascript:" not in rendered.replace("bad", "")  or "<javascript" not in rendered
    assert "<https://bad.example" not in rendered


def test_empty_analysis_says_so():
    message = b.analysis_message(Analysis(source=Source(url="https://x.example/a")), "thread")
    _check_limits(message)
    assert "no article text" in "\n".join(_texts(message))
    assert message.blocks[0]["text"]["text"] == "x.example"


def test_share_value_too_long_drops_button_not_message():
    message = b.analysis_message(example_analysis(), "claims", share_value="x" * 3000)
    assert not [blk for blk in message.blocks if blk["type"] == "actions"]


def test_failure_placeholder_usage_escape():
    msg = b.failure("<!channel>.example", "The site answered 404 Not Found <@U1>")
    _no_leaks(msg)
    assert "404 Not Found" in msg.text
    assert b.placeholder("news.example.com").text == "Reading news.example.com…"
    from bot.slack.listeners.commands import BY_NAME

    assert "/claims URL" in BY_NAME["/claims"].usage_message().text
    assert b.escape("a & <b>") == "a &amp; &lt;b&gt;"
    assert b.site_of("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert b.site_of("not a url") == "the page"


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=6000), st.integers(min_value=0, max_value=60))
def test_any_text_fits(text, n):
    speaker = Speaker(name=text[:300] or "x", title=text[:50] or None)
    analysis = Analysis(
        source=Source(title=text, site=text[:40], url="https://x.example/"),
        text=text,
        sentences=[Sentence(id=0, start=0, end=len(text))],
        summary=[SummaryItem(text=text, sentence_ids=[0])] * n,
        claims=[Claim(id="c", text=text, sentence_ids=[0], source=speaker, status="hedged")] * n,
        quotes=[Quote(speaker=speaker, text=text, start=0, end=0, kind="direct", sentence_id=0)] * n,
        flags=[Flag(sentence_id=0, level="unconfirmed", cues=[])] * n,
    )
    for view in b.VIEWS:
        _check_limits(b.analysis_message(analysis, view))


def test_flagged_claims_survive_trimming():
    speaker = Speaker(name="Official")
    cue = Cue(text="reportedly", start=0, end=10, type="reported")
    claims = [Claim(id=f"a{i}", text=f"Plain claim number {i} " * 8, sentence_ids=[0], source=speaker,
                    status="asserted") for i in range(60)]
    claims.append(Claim(id="flagged", text="The minister reportedly resigned.", sentence_ids=[0], source=speaker,
                        status="unconfirmed", cues=[cue]))
    message = b.analysis_message(Analysis(text="x", claims=claims), "thread")
    rendered = "\n".join(_texts(message))
    assert "The minister reportedly resigned." in rendered and "more_" in rendered


def test_text_only_messages_send_no_empty_block_list():
    """`blocks: []` on a new message can be refused (invalid_blocks): the placeholder must leave it out,
    while chat.update keeps it, since that is how an edit removes old blocks."""
    message = b.placeholder("example.com")
    assert message.as_kwargs() == {"text": "Reading example.com…"}
    assert message.as_kwargs(update=True) == {"text": "Reading example.com…", "blocks": []}
    assert b.failure("example.com", "gone").as_kwargs()["blocks"]


def test_fallback_text_counts_read_as_english():
    """The notification text: "1 link cited", not "1 links cited"."""
    analysis = example_analysis()
    assert b.analysis_message(analysis, "sources").text.endswith("1 person or body quoted, 1 link cited")
    assert b.analysis_message(analysis, "claims").text.endswith("2 claims, 2 unconfirmed or hedged")
    one = analysis.model_copy(update={"claims": analysis.claims[:1], "flags": analysis.flags[:1]})
    assert b.analysis_message(one, "claims").text.endswith("1 claim, 1 unconfirmed or hedged")
    assert b.analysis_message(one, "summarize").text.endswith("1 unconfirmed or hedged sentence")
    assert b.analysis_message(one).text.endswith("1 claim (1 flagged), 1 quoted")


@pytest.mark.parametrize(
    ("url", "label", "shown"),
    [
        ("https://evil.example/0", "https://yourbank.example/login", "https://evil.example/0"),
        ("https://evil.example/0", "yourbank.example/login", "https://evil.example/0"),
        ("https://evil.example/0", "www.yourbank.example", "https://evil.example/0"),
        ("https://evil.example/0", "Log in at yourbank.example now", "https://evil.example/0"),
        ("https://evil.example/0", "HTTPS://EVIL.EXAMPLE/1", "https://evil.example/0"),
        ("https://www.example.com/news/a", "example.com", "example.com"),  # the host: honest
        ("https://example.com/news/a", "https://example.com/news/a/", "https://example.com/news/a/"),
        ("https://deq.example.gov/r", "2021 inspection report", "2021 inspection report"),
    ],
)
def test_a_link_label_that_reads_as_an_address_is_that_address(url, label, shown):
    assert b.safe_link(url, label) == f"<{url}|{shown}>"


@pytest.mark.parametrize("url", ["https://e.example/" + "p" * 300, "https://" + "a" * 120 + ".evil.example/x"])
def test_a_long_address_label_is_cut_after_its_host_never_inside_it(url):
    label = b.safe_link(url, "https://bank.example").split("|", 1)[1].rstrip(">")
    assert len(label) <= LINK_LABEL_MAX and "bank" not in label
    host = url.split("/")[2]
    assert label.startswith("https://") and (host in label or f"…{host[-59:]}" in label)


def test_a_link_with_userinfo_is_not_linked():
    assert b.safe_link("https://yourbank.example@evil.example/", "yourbank.example") == "yourbank.example"


@pytest.mark.parametrize("host", [".".join(["a" * 60] * 50) + ".example", "b" * 3000])
def test_a_3000_character_host_fits_every_message(host):
    url = f"https://{host}/story"
    site = b.site_of(url)
    assert len(site) <= b.SITE_MAX
    for message in (b.failure(site, "x" * 5000), b.placeholder(site), b.failure(host, host), b.notice(host * 20),
                    b.analysis_message(Analysis(source=Source(url=url, site=host, title=host)), "sources")):
        _check_limits(message)
