"""Sentences with character offsets into the article text.

Paragraphs (blank-line separated) are split first so that a sentence never spans a paragraph break, then
sentencex splits each paragraph; offsets are recovered by walking the segments, which concatenate back to
the paragraph exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sentencex import segment

from bot.analysis.model import Sentence

_PARA = re.compile(r"\n\s*\n")
_LINE = re.compile(r"\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph, white space trimmed."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA.finditer(text):
        _add_trimmed(text, pos, m.start(), out)
        pos = m.end()
    _add_trimmed(text, pos, len(text), out)
    return out


def _add_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


@lru_cache(maxsize=64)
def _split_cached(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for p0, p1 in paragraphs(text):
        # A single newline inside a paragraph is a line break (headline, list item), also a boundary.
        line_start = p0
        for m in list(_LINE.finditer(text, p0, p1)) + [None]:
            line_end = m.start() if m else p1
            _split_line(text, line_start, line_end, spans)
            if m:
                line_start = m.end()
    return tuple(spans)


# Used only when sentencex fails: a plain end-of-sentence rule is better than no analysis at all.
_FALLBACK_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")


def _segments(chunk: str) -> list[str]:
    try:
        return list(segment("en", chunk))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # sentencex is Rust: a panic surfaces as pyo3's PanicException (a BaseException)
        pieces, pos = [], 0
        for m in _FALLBACK_BOUNDARY.finditer(chunk):
            pieces.append(chunk[pos : m.end()])
            pos = m.end()
        pieces.append(chunk[pos:])
        return pieces


# A sentence never ends on a title ("met Ms. | Clinton"); nor on a month before its day ("Jan. | 5") or
# on a.m./p.m. before a weekday ("5 p.m. | Friday"). sentencex sometimes splits there; we join them back.
_TITLE_END = re.compile(
    r"(?:^|[\s(\"'\u201c\u2018])(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Sgt|Capt|Col|Cmdr|Adm|Prof|Rev|"
    r"Hon|Pres|Supt|Det|Insp|Gens)\.$"
)
_MONTH_END = re.compile(r"(?:^|\s)(?:Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|No|Nos)\.$")
_CLOCK_END = re.compile(r"(?:^|\s)[ap]\.m\.$")
_WEEKDAY = re.compile(r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|tonight|tomorrow)\b")


def _joins(prev: str, nxt: str) -> bool:
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if not nxt:
        return False
    if _TITLE_END.search(prev):
        return nxt[0].isupper()
    if _MONTH_END.search(prev):
        return nxt[0].isdigit()
    if _CLOCK_END.search(prev):
        return bool(_WEEKDAY.match(nxt)) or nxt[0].islower()
    return False


def _merged(segments: list[str]) -> list[str]:
    out: list[str] = []
    for seg in segments:
        if out and _joins(out[-1], seg):
            out[-1] += seg
        else:
            out.append(seg)
    return out


# A dateline opens a story's first paragraph: "WASHINGTON (AP) — ", "TORONTO, Jan. 6 /CNW/ - ",
# "Boston (CNN)", "BAGHDAD, Iraq (CNN) -- ". It says where and when; it is no part of the first sentence (so
# of no summary bullet or claim), and no sentence of its own either, so the sentence ids of an article do
# not move with its dateline. A place in capitals needs a dash after it; a place in title case needs a
# wire marker ("(CNN)", "/CNW/"), since "Nick Smith - " is no dateline.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_WIRE = r"(?:\((?:CNN|AP|AFP|UPI|Reuters|Bloomberg|dpa|PA|CP|IANS|PTI|Xinhua|[A-Z][A-Za-z&.]{1,12} News)\)|/[A-Z][A-Za-z-]{1,15}/)"
_CAPS_PLACE = r"[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,3}"
_TITLE_PLACE = r"[A-Z][\w.'\u2019-]+(?: [A-Z][\w.'\u2019-]+){0,2}"
_REGION = r"(?:, [A-Z][\w.'\u2019-]+(?: [A-Z][\w.'\u2019-]+){0,2})?"
_DATE = rf"(?:,? {_MONTH} \d{{1,2}}(?:, \d{{4}})?)?"
_DASH = r"(?:--|[-\u2013\u2014])"
# After a place in capitals any agency in brackets will do: "LONDON, May 14 (Wire) — ".
_ANY_WIRE = r"(?:\([A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,2}\)|/[A-Z][A-Za-z-]{1,15}/)"
_DATELINE = re.compile(
    rf"(?:{_CAPS_PLACE}{_REGION}{_DATE}(?: ?{_ANY_WIRE})? ?{_DASH} +"
    rf"|(?:{_TITLE_PLACE}{_REGION}{_DATE} ?)?{_WIRE}(?: ?{_DASH} *| *))"
    r"(?=[\"'\u201c\u2018]?[A-Z0-9])"
)
# Inside a line only the unmistakable kind, with a wire marker, also ends what came before it: a headline
# that extraction ran into the story ("... in Spring 2008 TORONTO, Jan. 6 /CNW/ - Today at ...").
_INLINE_DATELINE = re.compile(
    rf"(?<=[a-z0-9.!?\u201d\"')] )(?:{_CAPS_PLACE}{_REGION}{_DATE} ?{_ANY_WIRE} ?{_DASH} +)(?=[\"'\u201c\u2018]?[A-Z0-9])"
)


def _dateline_end(text: str, start: int, end: int) -> int:
    """Where the dateline that opens text[start:end] ends (start when there is none)."""
    m = _DATELINE.match(text, start, end)
    return m.end() if m and len(m.group()) <= 60 and m.end() < end else start


# Bullets set in one line ("Features: • Wi-Fi sync • a touch pad • podcasts"): a list is items.
_INLINE_BULLET = re.compile(r"(?<=\S)\s+(?=[\u2022\u25aa\u25cf\u25e6\u2023] )")


def _split_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    bullet = _INLINE_BULLET.search(text, start, end)
    if bullet:
        _split_line(text, start, bullet.start(), out)
        _split_line(text, bullet.end(), end, out)
        return
    inline = _INLINE_DATELINE.search(text, start, end)
    if inline:
        _split_line(text, start, inline.start(), out)
        start = inline.start()
    start = _dateline_end(text, start, end)
    chunk = text[start:end]
    if not chunk.strip():
        return
    pos = start
    for seg in _merged(_segments(chunk)):
        seg_start = text.find(seg, pos, end) if seg else -1
        if seg_start < 0:  # sentencex should return exact pieces; fall back to the whole rest
            _add_trimmed(text, pos, end, out)
            return
        _add_trimmed(text, seg_start, seg_start + len(seg), out)
        pos = seg_start + len(seg)
    if pos < end:
        _add_trimmed(text, pos, end, out)


def split(text: str) -> list[Sentence]:
    """The sentences of `text`, in order, each trimmed of surrounding white space."""
    return [Sentence(id=i, start=s, end=e) for i, (s, e) in enumerate(_split_cached(text))]


def sentence_at(sentences: list[Sentence], offset: int) -> int:
    """Id of the sentence containing `offset` (or the nearest one before it)."""
    lo, hi = 0, len(sentences) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if sentences[mid].start <= offset:
            best = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return sentences[best].id if sentences else 0
