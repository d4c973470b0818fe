"""HTML or plain text → Article: the article's own text, its metadata and the links inside its body.

Hidden markup is removed before trafilatura sees the page: text a reader cannot see is where prompt
injections aimed at the LLM engine hide, and it is never part of what the article says.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from ..analysis.language import detect as detect_language
from ..analysis.model import Article, Link, Source
from .errors import NoArticleText
from .headings import break_after_headings
from .kind import kind_from_signals, page_signals, text_kind_and_title

log = logging.getLogger(__name__)

MIN_WORDS = 25  # fewer words than this is a stub, a paywall teaser or a JavaScript shell, not an article

_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?:[a-z%]+)?\s*(?:;|$)"
    r"|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$)|(?:left|top|text-indent)\s*:\s*-\d{4,}",
    re.IGNORECASE,
)
_HIDDEN_CLASSES = frozenset({"hidden", "d-none", "sr-only", "visually-hidden", "visuallyhidden",
                             "screen-reader-text", "is-hidden", "hide", "u-hidden"})
# Simple rules in the page's own <style> blocks that hide a class: `.promo-x { display: none }`.
_STYLE_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_SELECTOR = re.compile(r"^\s*\.([A-Za-z_][\w-]*)\s*$")
_DROP_TAGS = ("template", "noscript")
_KEEP = ("html", "body", "head")  # a page hidden as a whole until JavaScript runs is still the page

# Blocks of trafilatura's output tree that become paragraphs of the text.
_BLOCKS = frozenset({"p", "head", "quote", "item", "list", "table", "row", "cell", "code", "div", "lb"})


def strip_hidden(tree: HtmlElement) -> int:
    """Remove comments, <template>, <noscript> and elements hidden from the reader; returns how many."""
    hidden_classes = _HIDDEN_CLASSES | _classes_hidden_by_stylesheet(tree)
    doomed: list[etree._Element] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            doomed.append(element)
            continue
        if element.tag in _KEEP:
            continue
        if element.tag in _DROP_TAGS or _is_hidden(element, hidden_classes):
            doomed.append(element)
    removed = 0
    for element in doomed:
        parent = element.getparent()
        if parent is None or not _attached(element, tree):
            continue
        _remove_keep_tail(element)
        removed += 1
    return removed


def _is_hidden(element: etree._Element, hidden_classes: frozenset[str]) -> bool:
    attrib = element.attrib
    if "hidden" in attrib or attrib.get("aria-hidden", "").strip().lower() == "true":
        return True
    style = attrib.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    classes = attrib.get("class")
    return bool(classes) and not hidden_classes.isdisjoint(classes.split())


def _classes_hidden_by_stylesheet(tree: HtmlElement) -> frozenset[str]:
    names: set[str] = set()
    for style in tree.iter("style"):
        for selectors, body in _STYLE_RULE.findall(style.text or ""):
            if _HIDDEN_STYLE.search(body):
                for selector in selectors.split(","):
                    match = _CLASS_SELECTOR.match(selector)
                    if match:
                        names.add(match.group(1))
    return frozenset(names)


def _attached(element: etree._Element, root: etree._Element) -> bool:
    node = element
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def _remove_keep_tail(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it, which belongs to its parent."""
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


_LINE_BREAK = "\x00"  # stands for a <lb/> while the source's own whitespace is collapsed


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _raw_inline(node: etree._Element, top: bool = True) -> str:
    """The text of `node` in reading order, a _LINE_BREAK for each <lb/>; its tail too unless `top`."""
    parts: list[str] = []
    if not top and node.tag == "lb":
        parts.append(_LINE_BREAK)
    elif not top and node.tag == "cell":
        parts.append(" | ")
    if node.text and isinstance(node.tag, str):
        parts.append(node.text)
    parts.extend(_raw_inline(child, top=False) for child in node)
    if not top and node.tail:
        parts.append(node.tail)
    return "".join(parts)


def _lines(raw: str) -> str:
    """Line breaks kept, white space inside a line collapsed; an empty line between two lines (<br><br>,
    the old way of writing paragraphs) is a paragraph break."""
    out: list[str] = []
    gap = False
    for line in raw.split(_LINE_BREAK):
        line = _clean(line)
        if not line:
            gap = bool(out)
            continue
        if out:
            out.append("\n\n" if gap else "\n")
        out.append(line)
        gap = False
    return "".join(out)


def _render_blocks(element: etree._Element, out: list[str]) -> None:
    """Depth-first: an element with no block children is one paragraph; otherwise descend."""
    has_block_child = any(child.tag in _BLOCKS and child.tag != "lb" for child in element)
    if not has_block_child:
        text = _lines(_raw_inline(element))
        if text:
            out.append(text)
        return
    loose: list[str] = [element.text or ""]
    for child in element:
        if child.tag in _BLOCKS and child.tag != "lb":
            _flush(loose, out)
            loose = []
            _render_blocks(child, out)
            loose.append(child.tail or "")
        else:
            loose.append(_raw_inline(child, top=False))
    _flush(loose, out)


def _flush(loose: list[str], out: list[str]) -> None:
    text = _lines("".join(loose))
    if text:
        out.append(text)


def body_text(body: etree._Element, title: str | None = None) -> str:
    """trafilatura's body tree → plain text, one paragraph per block, blank lines between them."""
    paragraphs: list[str] = []
    # The body itself, not only its children: trafilatura's own fallbacks can hand back the page element
    # that held the text (a <font> or <body> whose text runs between <lb/>s), not a tree of paragraphs.
    _render_blocks(body, paragraphs)
    paragraphs = [p for block in paragraphs for p in block.split("\n\n")]
    if paragraphs and title:
        # The headline is in source.title; keep the text to the story (it may be the first line only).
        head, _, rest = paragraphs[0].partition("\n")
        if _same_words(head, title):
            paragraphs = ([rest] if rest else []) + paragraphs[1:]
    return "\n\n".join(paragraphs)


def _same_words(a: str, b: str) -> bool:
    words = re.compile(r"\w+")
    return words.findall(a.lower()) == words.findall(b.lower())


def body_links(body: etree._Element) -> list[Link]:
    """Outbound http(s) links inside the article body, with their anchor text, first mention wins."""
    links: list[Link] = []
    seen: set[str] = set()
    for ref in body.iter("ref"):
        target = (ref.get("target") or "").strip()
        if not target.lower().startswith(("http://", "https://")) or target in seen:
            continue
        seen.add(target)
        links.append(Link(url=target, text=_clean("".join(ref.itertext()))))
    return links


def _quiet_trafilatura() -> None:
    """trafilatura logs a warning ("discarding data: None") when it finds no article; here that is an
    outcome we handle (a recall-first pass, then a NoArticleText a person understands), not something
    for the terminal of `newsbot analyze`. A level set on purpose by someone else is left alone."""
    quiet = logging.getLogger("trafilatura")
    if quiet.level == logging.NOTSET:
        quiet.setLevel(logging.CRITICAL)


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


@dataclass(frozen=True)
class _Pass:
    document: Any  # trafilatura's Document (metadata), or None
    body: etree._Element | None
    text: str

    @property
    def words(self) -> int:
        return _word_count(self.text)


def _extract(tree: HtmlElement, url: str | None, title: str | None, favor_recall: bool) -> _Pass:
    import trafilatura  # heavy import, paid only by callers that extract HTML

    document = trafilatura.bare_extraction(
        tree, url=url, favor_recall=favor_recall, with_metadata=True, include_links=True,
        include_comments=False, include_tables=True, include_images=False, deduplicate=False,
    )
    if document is None or document.body is None:
        return _Pass(document, None, "")
    return _Pass(document, document.body, body_text(document.body, _clean(document.title) if document.title else title))


def _in_layout_table(body: etree._Element | None) -> bool:
    """The article sits in the cells of a page-layout table (the old way of laying out pages), where
    trafilatura's default pass drops lists and short blocks that its recall-first pass keeps."""
    if body is None:
        return False
    blocks = [child for child in body if isinstance(child.tag, str)]
    return len(blocks) == 1 and blocks[0].tag == "table" and not (body.text or "").strip()


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 4]) for i in range(max(len(words) - 3, 0))}


def _recall_adds_to(default: _Pass, recall: _Pass) -> bool:
    """The recall-first text keeps nearly all of the default one and adds a little (a list, a subhead),
    not a page's worth of furniture."""
    mine = _shingles(default.text)
    kept = len(mine & _shingles(recall.text)) / max(len(mine), 1)
    return kept >= 0.9 and default.words < recall.words <= 1.5 * default.words


def _read(tree: HtmlElement, url: str | None, title: str | None) -> _Pass:
    """The article's body and text, trying harder where a page gives less than an article: trafilatura as
    it is; then recall first (text in page regions it takes for furniture, lists in layout tables); then
    its baseline (every text block of the page). The metadata come from the first pass that has any."""
    import trafilatura

    default = _extract(tree, url, title, favor_recall=False)
    if default.words >= MIN_WORDS and not _in_layout_table(default.body):
        return default
    if default.words < MIN_WORDS:
        log.info("no article text in %s on trafilatura's default pass; reading it recall first", url or "the page")
    recall = _extract(tree, url, title, favor_recall=True)
    document = default.document or recall.document
    if default.words >= MIN_WORDS:
        return recall if recall.body is not None and _recall_adds_to(default, recall) else default
    if recall.words >= MIN_WORDS:
        return _Pass(document, recall.body, recall.text)
    log.info("no article text in %s on the recall-first pass; reading all its text blocks", url or "the page")
    baseline_body, _, _ = trafilatura.baseline(deepcopy(tree))
    if baseline_body is not None:
        baseline_title = _clean(document.title) if document is not None and document.title else title
        baseline = _Pass(document, baseline_body, body_text(baseline_body, baseline_title))
        if baseline.words > recall.words:
            return baseline
    return _Pass(document, recall.body, recall.text)


def extract_article(html: str | bytes, url: str | None = None) -> Article:
    """Extract the article in an HTML page. Raises NoArticleText when there is (almost) none."""
    from trafilatura.utils import load_html

    _quiet_trafilatura()
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    tree = load_html(html) if html.strip() else None
    if tree is None:
        raise NoArticleText(url=url)
    strip_hidden(tree)
    break_after_headings(tree)
    signals = page_signals(tree, url)
    found = _read(tree, url, signals.title)
    document, body = found.document, found.body
    if body is None or found.words < MIN_WORDS:
        raise NoArticleText(url=url)
    title = _clean(document.title) if document is not None and document.title else signals.title
    kind, title = kind_from_signals(signals, title, url)
    text = body_text(body, title)
    source = Source(
        url=url,
        title=title or None,
        site=_clean(document.sitename) if document is not None and document.sitename else signals.site,
        author=_clean(document.author) if document is not None and document.author else None,
        published=signals.published or (document.date if document is not None else None) or None,
        language=detect_language(
            text, declared=signals.language or (document.language if document is not None else None)
        ),
        kind=kind,
    )
    return Article(text=text, source=source, links=body_links(body))


def article_from_text(text: str, url: str | None = None) -> Article:
    """Plain text as it is (offsets into it are the truth), with a title and kind read off its top lines."""
    if not re.search(r"\w", text):
        raise NoArticleText(url=url)
    kind, title = text_kind_and_title(text)
    source = Source(url=url, title=title, language=detect_language(text), kind=kind)
    return Article(text=text, source=source)
