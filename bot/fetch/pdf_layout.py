"""A PDF's printed lines → paragraphs. A PDF keeps no paragraphs, only positioned runs of text; this puts
them back from the two signs a reader uses: the wider vertical gap between paragraphs, and the line that
stops short of the margin (the last of a paragraph, or a heading).

Also drops what is print furniture rather than text (page numbers, running heads and feet) and mends
words the printer hyphenated at a line's end.
"""

from __future__ import annotations

import re
import statistics
from typing import Any

# A page number on its own line: "7", "- 7 -", "Page 7", "Page 7 of 12", "7/12".
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’)\]]$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
PARAGRAPH_GAP = 1.4  # a gap this many times the usual line spacing separates paragraphs


def page_text(page: Any) -> str:
    """pypdf's text of a page, with a blank line wherever two lines are further apart than the page's
    usual line spacing (how most layouts, and every web page printed to PDF, separate paragraphs)."""
    pieces: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text:
            pieces.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))  # y on the page

    plain = page.extract_text(visitor_text=visit) or ""
    if "".join(text for text, _ in pieces) != plain:
        return plain  # the positions don't describe this text: no gaps to read
    lines, heights = _positioned_lines(pieces)
    gaps = [above - below for above, below in zip(heights, heights[1:], strict=False)
            if above is not None and below is not None and above > below]
    if len(gaps) < 3:
        return plain
    usual = statistics.median(gaps)
    out: list[str] = []
    for i, line in enumerate(lines):
        above, here = heights[i - 1] if i else None, heights[i]
        # Only a move down the page counts: a jump up is a new column, which says nothing of paragraphs.
        if above is not None and here is not None and above > here and above - here > PARAGRAPH_GAP * usual:
            out.append("")
        out.append(line)
    return "\n".join(out)


def _positioned_lines(pieces: list[tuple[str, float]]) -> tuple[list[str], list[float | None]]:
    """The output's lines, each with the height of the piece that starts it (None when a piece began on
    an earlier line, so its position is not this line's)."""
    lines: list[str] = []
    heights: list[float | None] = []
    current, height = "", None
    for text, y in pieces:
        for n, part in enumerate(text.split("\n")):
            if n:
                lines.append(current)
                heights.append(height)
                current, height = "", None
            if part.strip() and not current.strip() and n == 0:
                height = y
            current += part
    lines.append(current)
    heights.append(height)
    return lines, heights


def reflow(pages: list[str]) -> str:
    """Join the printed lines of each paragraph, mend words hyphenated at a line end, drop page numbers
    and running heads and feet; paragraphs are separated by a blank line, as the sentence splitter wants.

    A paragraph ends at a blank line (a wider gap, see `page_text`), at a line shorter than wrapping
    explains (a heading, or the last line of a paragraph), or at a sentence's end when the next line's
    first word would have fitted after it (the printer broke the line on purpose).
    """
    page_lines = [[" ".join(line.split()) for line in page.splitlines()] for page in pages]
    full = _full_width([line for page in page_lines for line in page])
    running = _running_lines(page_lines, full)
    lines = [line for page in page_lines for line in page
             if not line or not (_PAGE_NUMBER.match(line) or _shape(line) in running)]
    paragraphs: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        current = _join(current, line) if current else line
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _ends_paragraph(line, following, full):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _ends_paragraph(line: str, following: str, full: int) -> bool:
    if _HYPHENATED.search(line):
        return False  # a word broken at the line's end goes on in the next line
    # A wrapped line falls short of the full width by at most one long word.
    if len(line) < full - max(15, full // 4):
        return True
    if not following or not _ENDS_SENTENCE.search(line):
        return False
    next_word = following.split(" ", 1)[0]
    return len(line) + 1 + len(next_word) <= 0.95 * full  # room was left: proportional type, so a margin


def _join(before: str, line: str) -> str:
    # "govern-" + "ment" was one word broken by the printer; "well-" + "known" keeps its hyphen only if
    # the next part starts in capitals, which a broken word never does.
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha() and line[:1].islower():
        return before[:-1] + line
    return f"{before} {line}"


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _running_lines(pages: list[list[str]], full: int) -> set[str]:
    """Short lines (digits ignored) at the top or bottom of at least half the pages of a 3+ page document."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        lines = [line for line in page if line]
        edges = [_shape(line) for line in lines[:2] + lines[-2:] if len(line) < 0.8 * full]
        # A running head is printed once a page; a line repeated within the page is the text's own.
        shapes = [_shape(line) for line in lines]
        for shape in {s for s in edges if shapes.count(s) == 1}:
            counts[shape] = counts.get(shape, 0) + 1
    return {shape for shape, n in counts.items() if n * 2 >= len(pages)}


def _full_width(lines: list[str]) -> int:
    """The length of a full printed line: a high percentile, so short last lines don't drag it down."""
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.8))]
