"""HTML or plain text → Article: the article's own text, its metadata and the links inside its body.

Hidden markup is removed before trafilatura sees the page: text a reader cannot see is where prompt
injections aimed at the LLM engine hide, and it is never part of what the article says.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree
from lxml.html import HtmlElement

from ..analysis.language import detect as detect_language
from ..analysis.model import Article, Link, Source
from .errors import NoArticleText
from .kind import kind_from_signals, page_signals, text_kind_and_title

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


def _inline_text(element: etree._Element) -> str:
    parts: list[str] = []
    for piece in element.iter():
        if piece is not element and piece.tag == "lb":
            parts.append(_LINE_BREAK)
        elif piece is not element and piece.tag == "cell" and parts:
            parts.append(" | ")
        if piece.text and isinstance(piece.tag, str):
            parts.append(piece.text)
        if piece is not element and piece.tail:
            parts.append(piece.tail)
    return "\n".join(_clean(line) for line in "".join(parts).split(_LINE_BREAK) if _clean(line))


def _render_blocks(element: etree._Element, out: list[str]) -> None:
    """Depth-first: an element with no block children is one paragraph; otherwise descend."""
    has_block_child = any(child.tag in _BLOCKS and child.tag != "lb" for child in element)
    if not has_block_child:
        text = _inline_text(element)
        if text:
            out.append(text)
        return
    loose: list[str] = [element.text or ""]
    for child in element:
        if child.tag in _BLOCKS and child.tag != "lb":
            if _clean("".join(loose)):
                out.append(_clean("".join(loose)))
            loose = []
            _render_blocks(child, out)
            loose.append(child.tail or "")
        else:
            loose.append(_inline_text(child) + (child.tail or ""))
    if _clean("".join(loose)):
        out.append(_clean("".join(loose)))


def body_text(body: etree._Element, title: str | None = None) -> str:
    """trafilatura's body tree → plain text, one paragraph per block, blank lines between them."""
    paragraphs: list[str] = []
    for child in body:
        _render_blocks(child, paragraphs)
    if paragraphs and title and _same_words(paragraphs[0], title):
        paragraphs = paragraphs[1:]  # the headline is in source.title; keep the text to the story
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


def extract_article(html: str | bytes, url: str | None = None) -> Article:
    """Extract the article in an HTML page. Raises NoArticleText when there is (almost) none."""
    import trafilatura  # heavy import, paid only by callers that extract HTML
    from trafilatura.utils import load_html

    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    tree = load_html(html) if html.strip() else None
    if tree is None:
        raise NoArticleText(url=url)
    strip_hidden(tree)
    signals = page_signals(tree, url)
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_links=True, include_comments=False,
        include_tables=True, include_images=False, deduplicate=False,
    )
    if document is None or document.body is None:
        raise NoArticleText(url=url)
    title = _clean(document.title) if document.title else signals.title
    kind, title = kind_from_signals(signals, title, url)
    text = body_text(document.body, title)
    if len(re.findall(r"\w+", text)) < MIN_WORDS:
        raise NoArticleText(url=url)
    source = Source(
        url=url,
        title=title or None,
        site=_clean(document.sitename) if document.sitename else signals.site,
        author=_clean(document.author) if document.author else None,
        published=signals.published or document.date or None,
        language=detect_language(text, declared=signals.language or document.language),
        kind=kind,
    )
    return Article(text=text, source=source, links=body_links(document.body))


def article_from_text(text: str, url: str | None = None) -> Article:
    """Plain text as it is (offsets into it are the truth), with a title and kind read off its top lines."""
    if not re.search(r"\w", text):
        raise NoArticleText(url=url)
    kind, title = text_kind_and_title(text)
    source = Source(url=url, title=title, language=detect_language(text), kind=kind)
    return Article(text=text, source=source)
