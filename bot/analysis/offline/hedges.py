"""Flags: sentences the article itself marks as unconfirmed or hedged, with the cue words that do it.

Cue phrases live in `lexicons/cues_<type>.txt`; `lexicons/cues_not.txt` lists phrases in which a cue word
is not a cue ("could not have been better", "claimed the title", "as soon as possible"). Such a phrase
vetoes every cue it overlaps, except a cue that strictly contains it ("could not be independently
verified" keeps its cue although it contains "could not"); a phrase with a focus group (`(?P<x>...)`,
"so he (could) attend") vetoes every cue touching its focus, however long. Matching is per sentence, so a
cue never straddles two sentences. When cues overlap, the longest wins ("have claimed" over "claimed",
"could not be independently verified" over "could"); on equal length the stronger type wins.

The rules in code rather than data are the ones a lexicon cannot express: "May" the month or the name
versus the modal, and questions: a hedge in a question ("Could he win?", "Is a deal likely?") asks, it
does not hedge a claim, so hedge and weasel cues are dropped there (unverified, reported and anonymous
cues stay: "Why was the alleged gunman released?" still passes on an allegation).

Hedges inside direct quotations are kept: the article reports hedged words, and the flag's cue points at
the speaker's words, which the quote beside it attributes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.analysis.model import UNCONFIRMED_TYPES, Cue, CueType, Flag, Quote, Sentence
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.phrases import PhraseGroup, compile_group, find_group_spans, load_phrases

# Order is priority when two cues cover the same characters.
CUE_TYPES: tuple[CueType, ...] = ("unverified", "reported", "anonymous", "weasel", "hedge")
_PRIORITY = {t: i for i, t in enumerate(CUE_TYPES)}
_FOCUS = "(?P<x>"
# Cue types that a question cancels: asking whether something may be is not hedging a claim.
_QUESTION_CANCELS = frozenset({"hedge", "weasel"})
# The end of a clause: "?" makes it a question. A full stop after a capital is an abbreviation ("U.S."),
# "(praying?)" is an aside.
_CLAUSE_END = re.compile(r"(?<![A-Z])[.!]|\?(?!\))")
# A quotation opened and not closed before the "?": the question is the quoted speaker's, not the cue's
# clause's ('telling the crowd, "have you noticed?"'; but 'Could an "accident" derail him?' is a question).
_OPENING_QUOTE = re.compile(r"[\u201c\u2018]|(?:^|(?<=[\s(,:;\u2014-]))[\"']")
_CLOSING_QUOTE = re.compile(r"[\u201d\u2019\"'](?!\w)")

_MAY = re.compile(r"may\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s+([\w'\u2019-]+)")
_OPENERS = set("\"'\u201c\u2018([\u00ab-\u2014 \t")
# "May said ..." is Theresa May; a sentence-initial modal "May" is followed by a lowercase verb or subject.
_NAME_FOLLOWERS = words("layout_words", "may_name_follower")
# In a title-case headline the modal is capitalised too: "Trump May Not Have Suggested A Registry".
_TITLE_MODAL_FOLLOWERS = words("layout_words", "title_modal_follower")


def _is_month_or_name(text: str, start: int, sentence_start: int) -> bool:
    """True when the word "may" at `start` is the month or a name, not the modal verb."""
    word = text[start : start + 3]
    m = _NEXT_WORD.match(text, start + 3)
    nxt = m.group(1) if m else ""
    if nxt[:1].isdigit():  # "May 20", "may 2021"
        return True
    if word == "may":
        return False
    if word == "May" and nxt[:1].isupper() and nxt.lower() in _TITLE_MODAL_FOLLOWERS:
        return False
    # Capitalised: a modal only as the first word of its sentence, before a lowercase word.
    at_start = all(ch in _OPENERS for ch in text[sentence_start:start])
    if not at_start or not nxt or not nxt[:1].islower():
        return True
    return nxt.lower() in _NAME_FOLLOWERS


@lru_cache(maxsize=1)
def _group() -> PhraseGroup:
    """`cues_not` (split into plain and focused phrases), then the cue lexicons in CUE_TYPES order."""
    not_cues = load_phrases("cues_not")
    plain = [p for p in not_cues if _FOCUS not in p]
    focused = [p for p in not_cues if _FOCUS in p]
    return compile_group([plain, focused, *(load_phrases(f"cues_{t}") for t in CUE_TYPES)])


def _vetoed(span: tuple[int, int], vetoes: list[tuple[int, int]], focused: list[tuple[int, int]]) -> bool:
    s, e = span
    if any(vs < e and s < ve for vs, ve in focused):
        return True
    # A cue that strictly contains the whole "not a cue" phrase is more specific than it, so it stays.
    return any(vs < e and s < ve and not (s <= vs and ve <= e and (s, e) != (vs, ve)) for vs, ve in vetoes)


def _in_question(text: str, end: int, stop: int) -> bool:
    """True when the clause holding text[..end] ends with a question mark before `stop`."""
    m = _CLAUSE_END.search(text, end, stop)
    if m is None or m.group() != "?":
        return False
    for q in _OPENING_QUOTE.finditer(text, end, m.start()):
        if not _CLOSING_QUOTE.search(text, q.end(), m.start()):
            return False
    return True


def find_cues(text: str, start: int = 0, end: int | None = None) -> list[Cue]:
    """The uncertainty cues in text[start:end], non-overlapping, in text order."""
    stop = len(text) if end is None else end
    vetoes, focused, *per_type = find_group_spans(_group(), text, start, stop)
    candidates: list[tuple[int, int, CueType]] = []
    for cue_type, spans in zip(CUE_TYPES, per_type, strict=True):
        for s, e in spans:
            if _vetoed((s, e), vetoes, focused):
                continue
            if _MAY.match(text, s) and _is_month_or_name(text, s, start):
                continue
            if cue_type in _QUESTION_CANCELS and _in_question(text, e, stop):
                continue
            candidates.append((s, e, cue_type))
    candidates.sort(key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0]))
    chosen: list[tuple[int, int, CueType]] = []
    for s, e, t in candidates:
        if all(e <= cs or ce <= s for cs, ce, _ in chosen):
            chosen.append((s, e, t))
    chosen.sort()
    return [Cue(text=text[s:e], start=s, end=e, type=t) for s, e, t in chosen]


def flag_level(cues: list[Cue]) -> str:
    """`unconfirmed` when any cue says the claim is unverified, second-hand or unsourced, else `hedged`."""
    return "unconfirmed" if any(c.type in UNCONFIRMED_TYPES for c in cues) else "hedged"


def find_flags(text: str, sentences: list[Sentence], quotes: list[Quote]) -> list[Flag]:
    """One Flag per sentence that carries at least one cue, with all of that sentence's cues.

    `quotes` is accepted for the engine's uniform signature; a hedge inside a quotation is still the
    article reporting hedged content (see the module note), so quotes do not change which sentences are
    flagged.
    """
    flags: list[Flag] = []
    for sentence in sentences:
        cues = find_cues(text, sentence.start, sentence.end)
        if cues:
            flags.append(Flag(sentence_id=sentence.id, level=flag_level(cues), cues=cues))
    return flags
