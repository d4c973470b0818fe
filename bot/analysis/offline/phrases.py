"""Phrase lexicons: plain data files under `lexicons/`, compiled to case-insensitive regexes.

A line is one phrase; `#` starts a comment. Words are separated by spaces and match across any white
space. A small grammar keeps the files readable while covering inflection and negation:

  a|b|c       alternatives for one word              claim|claims|claimed
  (a|b)       an optional word                        could not (be) (independently) verified
  word*       any word starting with `word`          rumo*
  {neg}       a macro (see MACROS)                    {neg} {be} confirmed
  re:...      a raw regular expression, for the few cases the grammar cannot say

In a `re:` phrase a group named `x` marks the focus: the span found is that group's, not the whole
match, so a phrase can look at its context ("so he could attend") and still point at one word ("could").

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
    "be": r"(?:be|been|being|is|are|was|were|am)",
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
# Words as the phrases see them: a match can only start where one of these starts.
_TOKEN = re.compile(r"(?<![\w'\u2019-])\w[\w'\u2019-]*")
_LEADING_GROUP = re.compile(r"\(\?:([^()]*)\)")
_PLAIN_WORD = re.compile(r"[a-z'-]+")
# The words a macro can start with, so that phrases opening with one can be indexed; "n't" is a suffix.
_MACRO_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "neg": (("not", "never", "cannot", "could", "can", "would", "will", "did", "does", "do", "has", "have",
             "had", "should", "may", "might", "must"), ("n't",)),
    "be": (("be", "been", "being", "is", "are", "was", "were", "am"), ()),
    "have": (("have", "has", "had", "having"), ()),
    "det": (("a", "an", "the"), ()),
    "poss": (("his", "her", "its", "their", "our", "my", "your"), ()),
    "pron": (("he", "she", "they", "we", "i", "you", "it"), ()),
}


def _norm(word: str) -> str:
    return word.lower().replace("\u2019", "'").rstrip("'")


def _first_keys(phrase: str) -> tuple[set[str], set[str], set[str]] | None:
    """(words, prefixes, suffixes) one of which any match of `phrase` starts with; None if unknown."""
    words: set[str] = set()
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    if phrase.startswith("re:"):
        m = _LEADING_GROUP.match(phrase[3:].strip())
        if not m:
            return None
        for alt in m.group(1).split("|"):
            first = alt.split("\\s", 1)[0]
            if not _PLAIN_WORD.fullmatch(first):
                return None
            words.add(first)
        return words, prefixes, suffixes
    for token in phrase.split():
        for alt in token.strip("()").split("|"):
            if alt.startswith("{"):
                macro_words, macro_suffixes = _MACRO_WORDS[alt[1:-1]]
                words.update(macro_words)
                suffixes.update(macro_suffixes)
            elif alt.endswith("*"):
                prefixes.add(_norm(alt[:-1]))
            else:
                words.add(_norm(alt))
        if not token.startswith("("):
            break
    return words, prefixes, suffixes


@dataclass(frozen=True)
class PhraseGroup:
    """Lexicons compiled together: one pattern per phrase, indexed by the words a match can start with.

    Scanning with one big alternation tries every phrase at every word; the index tries a phrase only
    where its first word is, which is several times faster on article-length text.
    """

    each: tuple[tuple[re.Pattern[str], ...], ...]  # per lexicon, per phrase
    by_word: dict[str, tuple[tuple[int, int], ...]]  # first word -> (lexicon, phrase)
    by_prefix: dict[str, tuple[tuple[int, int], ...]]
    by_suffix: dict[str, tuple[tuple[int, int], ...]]
    unindexed: tuple[tuple[re.Pattern[str] | None, tuple[int, ...]], ...]  # per lexicon: scan, phrases


def compile_group(lexicons: list[list[str]]) -> PhraseGroup:
    each: list[tuple[re.Pattern[str], ...]] = []
    by_word: dict[str, list[tuple[int, int]]] = {}
    by_prefix: dict[str, list[tuple[int, int]]] = {}
    by_suffix: dict[str, list[tuple[int, int]]] = {}
    unindexed: list[tuple[re.Pattern[str] | None, tuple[int, ...]]] = []
    for li, phrases in enumerate(lexicons):
        each.append(tuple(re.compile(rf"{_BEFORE}(?:{phrase_regex(p)}){_AFTER}", re.IGNORECASE) for p in phrases))
        rest: list[int] = []
        for pi, phrase in enumerate(phrases):
            keys = _first_keys(phrase)
            if keys is None:
                rest.append(pi)
                continue
            for table, found in zip((by_word, by_prefix, by_suffix), keys, strict=True):
                for key in found:
                    table.setdefault(key, []).append((li, pi))
        # One scan holds many phrases, so their focus groups are made anonymous there.
        alternation = "|".join(f"(?:{phrase_regex(phrases[pi]).replace('(?P<x>', '(?:')})" for pi in rest)
        # Phrases with no known first word are found the slow way, with a lookahead scan for overlaps.
        scan = re.compile(rf"(?={_BEFORE}(?:{alternation}){_AFTER})", re.IGNORECASE) if rest else None
        unindexed.append((scan, tuple(rest)))

    def freeze(table: dict[str, list[tuple[int, int]]]) -> dict[str, tuple[tuple[int, int], ...]]:
        return {k: tuple(v) for k, v in table.items()}

    return PhraseGroup(tuple(each), freeze(by_word), freeze(by_prefix), freeze(by_suffix), tuple(unindexed))


def compile_phrases(phrases: list[str]) -> PhraseGroup:
    """A group of one lexicon (for `find_spans`)."""
    return compile_group([phrases])


@lru_cache(maxsize=32)
def compiled(name: str) -> PhraseGroup:
    """The compiled lexicon `name`, cached for the life of the process."""
    return compile_phrases(load_phrases(name))


@lru_cache(maxsize=8)
def compiled_group(names: tuple[str, ...]) -> PhraseGroup:
    """Several lexicons compiled together, in the order of `names`, cached."""
    return compile_group([load_phrases(n) for n in names])


def find_group_spans(
    group: PhraseGroup, text: str, start: int = 0, end: int | None = None
) -> list[list[tuple[int, int]]]:
    """Per lexicon of `group`: (start, end) of the longest phrase match at every position where one starts
    (where its focus group starts, for a phrase that has one).

    Regex alternation takes the first alternative that fits, not the longest, so each candidate phrase is
    matched on its own and the longest kept.
    """
    stop = len(text) if end is None else end
    best: list[dict[int, int]] = [{} for _ in group.each]

    def attempt(li: int, pi: int, pos: int) -> None:
        pattern = group.each[li][pi]
        m = pattern.match(text, pos, stop)
        if not m:
            return
        s, e = m.span("x") if "x" in pattern.groupindex else (pos, m.end())
        if s >= 0 and e > best[li].get(s, s):
            best[li][s] = e

    for tok in _TOKEN.finditer(text, start, stop):
        key, pos = _norm(tok.group()), tok.start()
        for li, pi in group.by_word.get(key, ()):
            attempt(li, pi, pos)
        for prefix, entries in group.by_prefix.items():
            if key.startswith(prefix):
                for li, pi in entries:
                    attempt(li, pi, pos)
        for suffix, entries in group.by_suffix.items():
            if key.endswith(suffix):
                for li, pi in entries:
                    attempt(li, pi, pos)
    for li, (scan, rest) in enumerate(group.unindexed):
        if scan is not None:
            for m in scan.finditer(text, start, stop):
                for pi in rest:
                    attempt(li, pi, m.start())
    return [sorted(b.items()) for b in best]


def find_spans(phrases: PhraseGroup, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the longest match at every position of text[start:end] where a phrase starts
    (the first lexicon of the group)."""
    return find_group_spans(phrases, text, start, end)[0]
