"""Spans of text between quotation marks: curly, straight, guillemets, and British single quotes.

News style opens every paragraph of a long quote again and closes only the last one, so a quote still
open at a paragraph end continues when the next paragraph opens with a mark; such pieces are linked
(`prev`) so that the whole run can share one speaker. Marks nested inside a quote are part of its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis.sentences import paragraphs

_DOUBLE_OPEN = "“„«\"”"
_DOUBLE_CLOSE = "”»\"“"  # “ closes in German style („…“)
_SINGLE_OPEN = "‘'‹"
_SINGLE_CLOSE = "’'›"
_PAIR = {"“": "”“\"", "„": "“”", "«": "»", "\"": "\"”“", "‘": "’'", "'": "'’", "‹": "›"}
_SPACED_OPEN = "«‹"
_SPACED_CLOSE = "»›"
_MARKS = re.compile(r"[\"“”„«»‘’'‹›]")
_OPEN_BEFORE = set(" \t\n([{—–-/:;,")  # a mark after these (or at the start) opens a quote
# Words clipped at the start by an apostrophe: 'em, 'cause, the '90s. Never an opening single quote.
_ELISION = re.compile(r"['‘](?:em|cause|til|tis|twas|n|s|\d0s|\d\d)\b", re.IGNORECASE)


@dataclass(slots=True)
class QuoteSpan:
    start: int  # content start (after the opening mark)
    end: int  # content end (before the closing mark, or the paragraph end)
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset of the closing mark; None when the quote runs on into the next paragraph
    para: int  # index of the block (a paragraph, or a line opening with a quote mark)
    prev: int | None = None  # index (in the returned list) of the piece this one continues


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens_after = before.isspace() or before in _OPEN_BEFORE or before in _DOUBLE_OPEN + _SINGLE_OPEN
    # French typography sets a (thin, no-break) space inside guillemets: « Nous … »
    return opens_after and (not after.isspace() or text[i] in _SPACED_OPEN and after != "\n")


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() and not (text[i] in _SPACED_CLOSE and before != "\n"):
        return False
    if text[i] in "’'" and before in "sS" and after == " " and text[i + 2:i + 3].islower():
        return False  # "the players’ union": a plural possessive inside a single-quoted quote
    # an apostrophe inside a word (don't, Putin's) never closes
    return not (before.isalnum() and after.isalnum())


def _scan(text: str, p0: int, p1: int, opens: str, closes: str) -> list[tuple[int, int | None]]:
    """(open mark, close mark or None if still open at the paragraph end) pairs of one kind of mark."""
    out: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for m in _MARKS.finditer(text, p0, p1):
        i = m.start()
        ch = text[i]
        if open_at is None:
            # a closing glyph opens only at a line start, where a mistyped ” stands for “
            wrong_glyph = ch in "”»’›" and not (ch == "”" and (i == 0 or text[i - 1] == "\n"))
            if ch in opens and not wrong_glyph and _can_open(text, i):
                if ch in "'‘" and _ELISION.match(text, i):
                    continue
                open_at = i
        elif ch in _PAIR.get(text[open_at], closes) and _can_close(text, i):
            out.append((open_at, i))
            open_at = None
        elif ch == text[open_at] and ch in "“«„" and _can_open(text, i):
            # a second opener of the same kind before any closer: the first was a stray mark
            open_at = i
    if open_at is not None:
        out.append((open_at, None))
    return out


# Typewriter conventions: ``…'' (Penn Treebank, wire copy) and ''…'' (some newspaper archives). They are
# rewritten, at the same length, into one curly mark and a filler so that the scan sees ordinary quotes.
_TICK_OPEN = re.compile(r"``|(?<![\w.,!?;:'])''(?=[\w“‘(\[])")
_TICK_CLOSE = re.compile(r"''")
_FILLER = "\x01"


def _typewriter_marks(text: str) -> str:
    if "``" not in text and "''" not in text:
        return text
    text = _TICK_OPEN.sub("“" + _FILLER, text)
    return _TICK_CLOSE.sub(_FILLER + "”", text)


_LINE_OPENS_QUOTE = re.compile(r"\n[ \t]*(?=[“\"«„‘”])")


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs, further cut where a single line break is followed by a quote mark: some pages put one
    paragraph a line, and a quote running over them opens each line again."""
    out: list[tuple[int, int]] = []
    for p0, p1 in paragraphs(text):
        start = p0
        for m in _LINE_OPENS_QUOTE.finditer(text, p0, p1):
            if text[start:m.start()].strip():
                out.append((start, m.start()))
            start = m.end()
        out.append((start, p1))
    return out


def find_spans(text: str) -> list[QuoteSpan]:
    """Quoted spans of `text` in order of position, double quotes first and single quotes outside them."""
    spans: list[QuoteSpan] = []
    paras = _blocks(text)
    text = _typewriter_marks(text)
    for pi, (p0, p1) in enumerate(paras):
        doubles = _scan(text, p0, p1, _DOUBLE_OPEN, _DOUBLE_CLOSE)
        covered = [(o, c if c is not None else p1) for o, c in doubles]
        singles = [
            (o, c)
            for o, c in _scan(text, p0, p1, _SINGLE_OPEN, _SINGLE_CLOSE)
            if not any(a <= o <= b for a, b in covered)
        ]
        for o, c in sorted(doubles + singles):
            if c is None and o != p0:
                continue  # an unclosed mark inside a paragraph is a typo, not a quote
            end = c if c is not None else p1
            start = o + 1
            if start < end and text[start] == _FILLER:
                start += 1
            if end > start and text[end - 1] == _FILLER:
                end -= 1
                c = c - 1 if c is not None else None
            if end > start:
                spans.append(QuoteSpan(start=start, end=end, open_at=o, close_at=c, para=pi))
    # link a piece left open at its paragraph's end to the piece that opens the next paragraph
    by_para: dict[int, int] = {}
    for idx, s in enumerate(spans):
        by_para.setdefault(s.para, idx)
    for idx, s in enumerate(spans):
        if s.close_at is None:
            nxt = by_para.get(s.para + 1)
            if nxt is not None and spans[nxt].open_at == paras[s.para + 1][0]:
                spans[nxt].prev = idx
    return spans
