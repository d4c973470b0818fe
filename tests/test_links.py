"""Finding links in Slack text, canonicalising them, and telling articles from everything else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.fetch.links import canonicalize, find_article_urls, find_urls, is_article_candidate


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("<https://example.com/a|Example story>", ["https://example.com/a"]),
        ("read <https://example.com/a> now", ["https://example.com/a"]),
        ("bare https://example.com/a/b?x=1 in text", ["https://example.com/a/b?x=1"]),
        ("<@U024BE7LH> <#C024BE7LR|general> <!here> <!channel> <!subteam^S123|@team>", []),
        ("<mailto:editor@example.com|editor@example.com>", []),
        ("<https://example.com/?a=1&amp;b=2|x>", ["https://example.com/?a=1&b=2"]),
        ("first https://a.example/x. Then (see https://b.example/y), ok?", ["https://a.example/x", "https://b.example/y"]),
        ("wiki https://en.wikipedia.org/wiki/Bridge_(structure) done", ["https://en.wikipedia.org/wiki/Bridge_(structure)"]),
        ("<https://b.example/2> then <https://a.example/1|one> then <https://b.example/2>",
         ["https://b.example/2", "https://a.example/1"]),
        ("ftp://files.example.com/x and <ftp://x.example/y>", []),
        ("HTTPS://Example.COM/Path", ["HTTPS://Example.COM/Path"]),
        ("no links here at all", []),
    ],
)
def test_find_urls(text, urls):
    assert find_urls(text) == urls


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://example.com/a?utm_source=tw&utm_medium=social&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?id=7&fbclid=abc&gclid=def&b=2", "https://example.com/a?id=7&b=2"),
        ("https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&ref_src=twsrc", "https://example.com/a"),
        ("https://example.com/a?UTM_Campaign=x&z=1&a=2", "https://example.com/a?z=1&a=2"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("HTTPS://WWW.Example.COM/Path/Case", "https://www.example.com/Path/Case"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://example.com/a?q=caf%C3%A9&x=a%2Fb", "https://example.com/a?q=caf%C3%A9&x=a%2Fb"),
        ("https://example.com/a?flag&utm_id=1", "https://example.com/a?flag"),
        ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("not a url", "not a url"),
        ("mailto:a@example.com", "mailto:a@example.com"),
    ],
)
def test_canonicalize(url, canonical):
    assert canonicalize(url) == canonical


@given(st.text())
def test_canonicalize_is_idempotent_and_total(text):
    once = canonicalize(text)
    assert canonicalize(once) == once


@pytest.mark.parametrize(
    ("url", "candidate"),
    [
        ("https://www.bbc.co.uk/news/world-123", True),
        ("https://example.com/story.html", True),
        ("https://example.com/2024/05/story.php?id=3", True),
        ("https://myteam.slack.com/archives/C1/p123", False),
        ("https://slack.com/intl/en-gb/", False),
        ("https://files.slack.com/files-pri/T1-F1/image.png", False),
        ("https://www.youtube.com/watch?v=abc", False),
        ("https://youtu.be/abc", False),
        ("https://vimeo.com/12345", False),
        ("https://player.vimeo.com/video/12345", False),
        ("https://cdn.example.com/photo.JPG", False),
        ("https://cdn.example.com/clip.mp4?x=1", False),
        ("https://example.com/report.pdf", True),  # PDFs are read (bot/fetch/pdf.py)
        ("https://notslack.com/story", True),
        ("ftp://example.com/story", False),
        ("mailto:x@example.com", False),
    ],
)
def test_is_article_candidate(url, candidate):
    assert is_article_candidate(url) is candidate


def test_find_article_urls_canonical_dedup_filtered_limited():
    text = (
        "<https://news.example.com/a?utm_source=slack|A> and https://news.example.com/a#top "
        "<https://team.slack.com/archives/C1> https://img.example.com/x.png "
        "<https://news.example.com/b> <https://news.example.com/c>"
    )
    assert find_article_urls(text) == [
        "https://news.example.com/a", "https://news.example.com/b", "https://news.example.com/c",
    ]
    assert find_article_urls(text, limit=2) == ["https://news.example.com/a", "https://news.example.com/b"]
