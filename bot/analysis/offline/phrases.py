"""Phrase lexicons: plain data files under `lexicons/`, compiled to case-insensitive regexes.

A line is one phrase; `#` starts a comment. Words are separated by spaces and match across any white
space. A small grammar keeps the files readable while covering inflection and negation:

  a|b|c       alternatives for one word              claim|claims|claimed
  (a|b)       an optional word                        could not (be) (independently) verified
  word*       any word starting with `word`          rumo*
  {neg}       a macro (see MACROS)                    {neg} {be} confirmed
  re:...      a raw regular expression, for the few cases the grammar cannot say

Every phrase is anchored at word boundaries, so "may" never matches inside "mayor", and a match never
starts or ends with white space. Straight and curly apostrophes are interchangeable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "lexicons"

_APOS = "['\u2019]"
MACROS: dict[str, str] = {
    # "not", "never", "didn't", "cannot": a word-level negator ("no" is left out: "no confirmed cases").
    # An auxiliary before it belongs to the cue: "could not be verified" is one cue, not "could" + "not".
    "neg": rf"(?:(?:(?:could|can|would|will|did|does|do|has|have|had|should|may|might|must)\s+)?(?:not|never)"
    rf"|cannot|\w+n{_APOS}t)",
    "be": rf"(?:be|been|being|is|are|was|were|am|{_APOS}s|{_APOS}re)",
    "have": r"(?:have|has|had|having)",
    "det": r"(?:a|an|the)",
    "poss": r"(?:his|her|its|their|our|my|your)",
    "pron": r"(?:he|she|they|we|i|you|it)",
}


def load_phrases(name: str) -> list[str]:
    """The phrases of `lexicons/<name>.txt`, comments and blank lines removed, in file order."""
    out: list[str] = []
    for raw in (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if raw.lstrip().startswith("#"):
            continue
        line = raw.split(" #", 1)[0].strip()
        if line:
            out.append(line)
    return out


def _word(alt: str) -> str:
    if alt.startswith("{") and alt.endswith("}"):
        return MACROS[alt[1:-1]]
    star = alt.endswith("*")
    body = alt[:-1] if star else alt
    pat = "".join(_APOS if ch in "'\u2019" else re.escape(ch) for ch in body)
    return pat + r"\w*" if star else pat


def phrase_regex(phrase: str) -> str:
    """The regex source for one phrase of the grammar above (without the word-boundary anchors)."""
    if phrase.startswith("re:"):
        return phrase[3:].strip()
    tokens = phrase.split()
    if all(t.startswith("(") for t in tokens) or any(t.count("(") != t.count(")") for t in tokens):
        # Parentheses hold one optional word; a phrase of optional words alone would match anything.
        raise ValueError(f"bad lexicon phrase: {phrase!r}")
    parts: list[str] = []
    seen_required = False
    for token in tokens:
        optional = token.startswith("(")
        alts = "(?:" + "|".join(_word(a) for a in token.strip("()").split("|")) + ")"
        # White space goes after the optional words before the first required one and before all the
        # others, so a match never starts or ends with a space.
        if optional:
            parts.append(f"(?:\\s+{alts})?" if seen_required else f"(?:{alts}\\s+)?")
        else:
            parts.append(f"\\s+{alts}" if seen_required else alts)
            seen_required = True
    return "".join(parts)


_BEFORE = r"(?<![\w'\u2019-])"
_AFTER = rf"(?![\w-]|{_APOS}\w)"


@dataclass(frozen=True)
class PhraseSet:
    """A lexicon compiled twice: one pattern to find where any phrase starts, one per phrase for length."""

    any: re.Pattern[str]
    each: tuple[re.Pattern[str], ...]


def compile_phrases(phrases: list[str]) -> PhraseSet:
    # The scan sits in a lookahead so that overlapping matches (different starts) are all reported.
    alternation = "|".join(f"(?:{phrase_regex(p)})" for p in phrases)
    scan = re.compile(rf"(?={_BEFORE}(?:{alternation}){_AFTER})", re.IGNORECASE)
    each = tuple(re.compile(rf"{_BEFORE}(?:{phrase_regex(p)}){_AFTER}", re.IGNORECASE) for p in phrases)
    return PhraseSet(scan, each)


@lru_cache(maxsize=32)
def compiled(name: str) -> PhraseSet:
    """The compiled lexicon `name`, cached for the life of the process."""
    return compile_phrases(load_phrases(name))


def find_spans(phrases: PhraseSet, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the longest phrase match at every position of text[start:end] where one starts."""
    stop = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for m in phrases.any.finditer(text, start, stop):
        pos = m.start()
        # Regex alternation takes the first alternative that fits, not the longest: ask each phrase.
        best = max((x.end() for p in phrases.each if (x := p.match(text, pos, stop))), default=pos)
        if best > pos:
            out.append((pos, best))
    return out
