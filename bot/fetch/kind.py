"""Is this page news or opinion? And what is its title? Read off metadata, JSON-LD, the URL or the top lines.

An opinion piece's claims are the author's arguments, not reporting, so the Slack reply says which it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ..analysis.model import SourceKind

# Section names, title labels and URL path segments that mean "this is opinion, not reporting".
OPINION_LABELS = frozenset({
    "opinion", "opinions", "op-ed", "oped", "op ed", "commentary", "comment", "column", "columns",
    "columnists", "columnist", "editorial", "editorials", "perspective", "perspectives", "viewpoint",
    "viewpoints", "comment is free", "guest essay", "letters", "letters to the editor",
})
OPINION_PATH_SEGMENTS = frozenset({
    "opinion", "opinions", "op-ed", "oped", "commentisfree", "commentary", "editorial", "editorials",
    "columnists", "column", "columns", "perspectives", "guest-essay",
})
OPINION_TYPES = frozenset({"OpinionNewsArticle"})
NEWS_TYPES = frozenset({
    "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting",
})
# "Opinion | Title", "Opinion: Title", "Op-Ed — Title", or "Opinion Title" (a label run into the headline).
# The label is matched in any case, the headline after it must start with a capital ("Opinion polls" ≠).
_LABEL_PREFIX = re.compile(
    r"^\s*(?i:(opinion|op-ed|op ed|commentary|editorial|column|guest essay))\s*"
    r"(?:[|:—–-]\s*|\s+(?=[A-Z“\"‘'0-9]))"
)
_LABEL_SUFFIX = re.compile(r"\s*[|—–-]\s*(opinion|op-ed|commentary|editorial|column)\s*$", re.IGNORECASE)
# Labels that, alone on a line at the top of pasted text, mark opinion ("Comment" could be a button).
_TEXT_LABELS = frozenset({"opinion", "op-ed", "op ed", "commentary", "editorial", "column", "guest essay",
                          "perspective", "opinion column"})
_JUNK_LINES = frozenset({
    "saved web pages", "advertisement", "skip to main content", "skip to content", "menu", "share",
    "subscribe", "sign in", "log in", "main menu", "search", "home",
})
_DATE_LINE = re.compile(
    r"^(updated|published|posted)?\s*:?\s*(\w+day,?\s*)?"
    r"((jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2},?\s+\d{4}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})",
    re.IGNORECASE,
)


@dataclass
class PageSignals:
    title: str | None = None
    titles: list[str] = field(default_factory=list)
    site: str | None = None
    published: str | None = None
    language: str | None = None
    sections: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    og_type: str | None = None


def _meta(tree: HtmlElement, *names: str) -> list[str]:
    values: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key in names and content:
            values.append(content)
    return values


def _jsonld_objects(tree: HtmlElement) -> list[dict]:
    objects: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack and len(objects) < 200:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "mainEntityOfPage"))
    return objects


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _language_tag(value: str | None) -> str | None:
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def page_signals(tree: HtmlElement, url: str | None = None) -> PageSignals:
    """What the page's head and structured data say about it (read before trafilatura prunes the tree)."""
    signals = PageSignals()
    title_el = tree.find(".//title")
    raw_titles = [title_el.text_content()] if title_el is not None and title_el.text_content() else []
    raw_titles += _meta(tree, "og:title", "twitter:title", "headline")
    h1 = tree.find(".//h1")
    if h1 is not None and h1.text_content().strip():
        raw_titles.append(h1.text_content())
    signals.titles = [" ".join(t.split()) for t in raw_titles]
    signals.title = next(iter(_meta(tree, "og:title")), None) or (signals.titles[0] if signals.titles else None)
    signals.site = next(iter(_meta(tree, "og:site_name", "application-name")), None)
    signals.sections = _meta(tree, "article:section", "section", "parsely-section", "article.section",
                             "category", "articlesection", "dc.type")
    signals.og_type = next(iter(_meta(tree, "og:type")), None)
    published = _meta(tree, "article:published_time", "datepublished", "pubdate", "publishdate",
                      "dc.date.issued", "date")
    for obj in _jsonld_objects(tree):
        signals.types.update(_as_list(obj.get("@type")))
        signals.sections += _as_list(obj.get("articleSection"))
        published += _as_list(obj.get("datePublished"))
    signals.published = published[0] if published else None
    html_el = tree if tree.tag == "html" else tree.getroottree().getroot()
    signals.language = _language_tag(html_el.get("lang") or html_el.get("xml:lang")) or _language_tag(
        next(iter(_meta(tree, "og:locale", "content-language", "language", "dc.language")), None)
    )
    return signals


def _is_opinion_section(section: str) -> bool:
    for part in re.split(r"[/>|,:;]+", section.lower()):
        words = part.strip()
        if words in OPINION_LABELS or words.split(" ")[0] in {"opinion", "opinions", "op-ed", "commentary"}:
            return True
    return False


def strip_label(title: str) -> str:
    """'Opinion | Putin is helping Hamas' → 'Putin is helping Hamas'."""
    stripped = _LABEL_SUFFIX.sub("", _LABEL_PREFIX.sub("", title, count=1))
    return stripped.strip() or title.strip()


def _title_says_opinion(title: str) -> bool:
    if _LABEL_PREFIX.match(title) or _LABEL_SUFFIX.search(title):
        return True
    return any(part.strip().lower() in OPINION_LABELS for part in re.split(r"\s[|—–]\s", title)[1:])


def url_says_opinion(url: str | None) -> bool:
    if not url:
        return False
    segments = urlsplit(url).path.lower().split("/")
    return any(segment in OPINION_PATH_SEGMENTS for segment in segments)


def kind_from_signals(signals: PageSignals, title: str | None, url: str | None) -> tuple[SourceKind, str | None]:
    """(kind, title without an opinion label). Opinion signals win over news ones."""
    opinion = (
        bool(signals.types & OPINION_TYPES)
        or any(_is_opinion_section(s) for s in signals.sections)
        or any(_title_says_opinion(t) for t in [title or "", *signals.titles])
        or url_says_opinion(url)
    )
    clean_title = strip_label(title) if title else None
    if opinion:
        return "opinion", clean_title
    if signals.types & NEWS_TYPES or (signals.og_type or "").lower() == "article":
        return "news", clean_title
    return "unknown", clean_title


def _headline_like(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 30
        and len(line) <= 250
        and not line.endswith((".", ",", ";", ":"))
        and not re.match(r"^by\s", line, re.IGNORECASE)
        and not _DATE_LINE.match(line)
        and not re.match(r"^https?://", line)
        and line.lower() not in _JUNK_LINES
    )


def text_kind_and_title(text: str) -> tuple[SourceKind, str | None]:
    """Kind and title of plain text, from the short lines above the first paragraph.

    A line that is, or starts with, an opinion label ("Opinion", "Op-Ed | …") makes it opinion; the title
    is that line without its label, else the longest headline-like line up there.
    """
    kind: SourceKind = "unknown"
    labelled: str | None = None
    candidates: list[str] = []
    seen = 0
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        seen += 1
        if seen > 6 or len(line.split()) > 30 or len(line) > 250:
            break
        if line.lower().strip(" :|") in _TEXT_LABELS:
            kind = "opinion"
            continue
        if _LABEL_PREFIX.match(line):
            kind = "opinion"
            labelled = labelled or strip_label(line)
            continue
        if _headline_like(line):
            candidates.append(line)
    title = labelled or (max(candidates, key=len) if candidates else None)
    return kind, title
