"""Line ends a reader sees but the HTML does not mark: headings set in bold on a line of their own.

Old table-and-font pages (and press releases to this day) write a subhead as `<b>Creating a Personal
Entertainment Experience</b>` followed by the paragraph, with no <br> or block between them; extraction then
runs the two together ("…Experience With three Zune models…") and the heading becomes the start of a
sentence. A `<br>` after such a heading keeps the line end through extraction, and the sentence splitter
ends a line without final punctuation at the line break.

A heading here: a bold or underlined (b, strong, big, u) run of 2-20 words that starts a line, ends without punctuation
(a label ending in ":" belongs with what follows it; "said John Smith" inside a sentence starts no line),
and is followed by the start of a new sentence (a capital, a digit or an opening quote) or a block.
"""

from __future__ import annotations

import re

from lxml import etree

_BOLD = ("b", "strong", "big", "u")
# Elements that start a new line in a browser: what comes after one of these starts a line.
_BLOCK = frozenset(
    """address article aside blockquote body br center dd div dl dt fieldset figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td th thead tr ul""".split()
)
_WORD = re.compile(r"\w+")
_ENDS_OPEN = re.compile(r"[\w)\]\"'\u201d\u2019]$")
_STARTS_SENTENCE = re.compile(r"\s*[\"'\u201c\u2018(]?[A-Z0-9]")
MAX_HEADING_WORDS = 20


def break_after_headings(tree: etree._Element) -> int:
    """Put a <br> after every run-in heading in `tree` (changed in place); returns how many."""
    headings = [el for el in tree.iter(*_BOLD) if _is_run_in_heading(el)]
    for element in headings:
        br = element.makeelement("br", {})
        br.tail, element.tail = element.tail, None
        element.addnext(br)
    return len(headings)


def _is_run_in_heading(element: etree._Element) -> bool:
    text = " ".join("".join(element.itertext()).split())
    if not 2 <= len(_WORD.findall(text)) <= MAX_HEADING_WORDS or not _ENDS_OPEN.search(text):
        return False
    return _starts_line(element) and _new_sentence_follows(element)


def _starts_line(element: etree._Element) -> bool:
    """Nothing but white space between the previous line end (a <br> or a block edge) and `element`."""
    node = element
    while True:
        previous = node.getprevious()
        if previous is not None:
            return not (previous.tail or "").strip() and isinstance(previous.tag, str) and previous.tag in _BLOCK
        parent = node.getparent()
        if parent is None or (parent.text or "").strip():
            return False
        if parent.tag in _BLOCK:
            return True
        node = parent  # an inline wrapper (<font><b>…</b>): does the wrapper start the line?


def _new_sentence_follows(element: etree._Element) -> bool:
    """The text after `element` opens a sentence, or a line end comes first (then nothing is needed)."""
    node = element
    while True:
        tail = node.tail or ""
        if tail.strip():
            return bool(_STARTS_SENTENCE.match(tail))
        following = node.getnext()
        if following is not None:
            # A line end already there needs no other; a block after it is a line end trafilatura may drop.
            if not isinstance(following.tag, str) or following.tag == "br":
                return False
            if following.tag in _BLOCK:
                return True
            return bool(_STARTS_SENTENCE.match("".join(following.itertext())))  # <b>Head</b><font>Text
        parent = node.getparent()
        if parent is None or parent.tag in _BLOCK:
            return False
        node = parent
