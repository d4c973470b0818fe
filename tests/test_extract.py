"""HTML → Article: text without page furniture or hidden text, metadata, body links, news vs opinion."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.fetch import NoArticleText, article_from_text, extract_article
from bot.fetch.extract import strip_hidden

FIXTURES = Path(__file__).parent / "fixtures" / "html"
# shared/ sits beside the checkout (locally and in CI)
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b74ca9f533ef9b34.txt"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def news():
    return extract_article(page("news_full.html"), "https://ledger.example.com/news/2024/05/14/bridge")


def test_news_text_is_the_story_only(news):
    text = news.text
    assert text.startswith("The Harbour Street bridge was closed")
    assert "Pedestrians may still use the footpath" in text.replace("pedestrians", "Pedestrians")
    for furniture in ("Subscribe for", "Related stories", "Typical council", "All rights reserved",
                      "Ferry timetable", "Comments (3)"):
        assert furniture not in text


def test_news_paragraphs_are_separated_by_blank_lines(news):
    paragraphs = news.text.split("\n\n")
    assert len(paragraphs) == 5
    assert all(p == p.strip() and "\n" not in p for p in paragraphs)
    # The source HTML wraps lines inside paragraphs; the text must not keep those breaks.
    assert "according to a council statement published overnight" in news.text


def test_news_metadata(news):
    source = news.source
    assert source.title == "Harbour bridge closed after inspectors find cracks"
    assert source.site == "The Coastal Ledger"
    assert source.author == "Priya Natarajan"
    assert source.published.startswith("2024-05-14")
    assert source.language == "en"
    assert source.kind == "news"
    assert source.url == "https://ledger.example.com/news/2024/05/14/bridge"


def test_hidden_and_injected_content_never_reaches_the_text(news):
    for injected in ("ignore previous instructions", "Assistant:", "twelve people died", "we lied",
                     "council is corrupt", "@channel", "evil.example.com", "Template text",
                     "enable JavaScript"):
        assert injected.lower() not in news.text.lower()
    # Text that follows a hidden element inside the same paragraph is kept.
    assert "the month. Cyclists and pedestrians may still use" in news.text


def test_body_links_with_anchor_text(news):
    assert [(link.url, link.text) for link in news.links] == [
        ("https://coastal-council.example.gov/reports/bridge-inspection-2024.pdf", "council statement"),
        ("https://chamber.example.org/news/bridge-closure", "wrote on the chamber's website"),
        ("https://trains.example.com/timetables", "rail timetable"),
    ]
    # Navigation, related stories and footer links are not article links.
    assert not any("privacy" in link.url or "ferry" in link.url for link in news.links)


def test_opinion_by_jsonld_type():
    article = extract_article(page("opinion_jsonld.html"), "https://meridian.example.com/2024/02/trees")
    assert article.source.kind == "opinion"
    assert article.source.author == "Alan Whitcombe"
    assert article.source.title == "Our cities need fewer car parks and more trees"


PLAIN = page("plain_page.html")


@pytest.mark.parametrize(
    ("html", "url"),
    [
        (PLAIN.replace("<head>", '<head><meta property="article:section" content="Opinion">'), None),
        (PLAIN.replace("<head>", '<head><meta name="parsely-section" content="Commentary">'), None),
        (PLAIN.replace("<title>", "<title>Opinion | "), None),
        (PLAIN.replace("<title>", "<title>Op-Ed: "), None),
        (PLAIN, "https://paper.example.com/opinion/2024/09/swallows"),
        (PLAIN, "https://www.example.co.uk/commentisfree/2024/sep/10/swallows"),
        (PLAIN.replace("<head>", '<head><script type="application/ld+json">'
                       '{"@type": ["Article", "OpinionNewsArticle"]}</script>'), None),
    ],
    ids=["section", "parsely-section", "title-prefix", "title-op-ed", "url-opinion", "url-commentisfree",
         "jsonld-list"],
)
def test_opinion_by_each_signal(html, url):
    article = extract_article(html, url)
    assert article.source.kind == "opinion"
    assert article.source.title == "Notes on the autumn migration of swallows"


def test_page_without_signals_is_unknown_and_og_article_is_news():
    assert extract_article(PLAIN, "https://birds.example.org/notes/swallows").source.kind == "unknown"
    og = PLAIN.replace("<head>", '<head><meta property="og:type" content="article">')
    assert extract_article(og, None).source.kind == "news"


def test_words_like_opinion_poll_do_not_make_opinion():
    html = PLAIN.replace("<title>", "<title>Opinion polls show swallows are popular: ")
    article = extract_article(html, "https://birds.example.org/opinionated-birds/x")
    assert article.source.kind == "unknown"


@pytest.mark.parametrize("html", [page("paywall_stub.html"), "", "   ", "<html><body><p>Too short.</p></body></html>"])
def test_no_article_text(html):
    with pytest.raises(NoArticleText) as err:
        extract_article(html, "https://ledger.example.com/x")
    assert "paste the text instead" in str(err.value)


def test_strip_hidden_counts_and_keeps_visible():
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(
        "<html><head><style>.x{visibility:hidden}</style></head><body><div><p>keep</p>"
        "<p class='x'>css</p><p style='font-size:0'>tiny</p><p style='opacity: 0'>clear</p>"
        "<p style='position:absolute; left:-10000px'>off</p><p class='sr-only'>sr</p><!-- c -->"
        "<p style='color: red'>red</p></div></body></html>"
    )
    assert strip_hidden(tree) == 6
    assert [t.strip() for t in tree.find("body").itertext()] == ["keep", "red"]


def test_seed_plain_text_is_opinion_and_unchanged():
    if not SEED.exists():
        pytest.skip("seed article not present")
    text = SEED.read_text(encoding="utf-8")
    article = article_from_text(text)
    assert article.text == text
    assert article.source.kind == "opinion"
    assert article.source.title == "Putin is helping Hamas to hurt the West"


@pytest.mark.parametrize(
    ("text", "kind", "title"),
    [
        ("Council approves budget\n\nThe council approved its budget on Tuesday after a long debate.",
         "unknown", "Council approves budget"),
        ("OPINION\nWhy the budget is wrong\nBy A. Writer\n\nThe council approved a budget that fails us all.",
         "opinion", "Why the budget is wrong"),
        ("Opinion: Why the budget is wrong\n\nThe council approved a budget that fails us all.",
         "opinion", "Why the budget is wrong"),
        ("Opinion polls put the mayor ahead in every district, and analysts expect a comfortable win.",
         "unknown", None),
        ("Skip to main content\nMarch 3, 2024\nMayor wins second term\n\nThe mayor won a second term.",
         "unknown", "Mayor wins second term"),
    ],
)
def test_plain_text_kind_and_title(text, kind, title):
    article = article_from_text(text)
    assert article.text == text
    assert (article.source.kind, article.source.title) == (kind, title)


def test_plain_text_must_have_words():
    with pytest.raises(NoArticleText):
        article_from_text("  \n\n ")


_PIECES = [
    "<p>", "</p>", "<div hidden>", "</div>", "<div>", "<span style='display:none'>", "</span>", "<!--", "-->",
    "<template>", "</template>", "<a href='https://x.example/a'>", "<a href='/rel'>", "</a>", "<br>", "<h2>",
    "</h2>", "<ul><li>", "</li></ul>", "<table><tr><td>", "</td><td>", "</td></tr></table>", "<blockquote>",
    "</blockquote>", "<noscript>", "</noscript>", "&amp;", "\u201cquoted\u201d", "\n",
    "The council said on Tuesday that the bridge would stay closed for three more weeks while engineers work. ",
    "Officials reportedly disagree, and the figures could not be verified independently by reporters here. ",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_extract_never_fails_except_with_no_article_text(pieces):
    try:
        article = extract_article("<html><body><article>" + "".join(pieces) + "</article></body></html>", None)
    except NoArticleText:
        return
    assert article.text.strip() == article.text and "\n\n\n" not in article.text
    assert "quoted" not in article.text or "\u201cquoted\u201d" in article.text
