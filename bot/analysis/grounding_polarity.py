"""Polarity and modality: model prose may not say the opposite of the sentences it cites.

Word overlap cannot see a "not": "Israel has been overtly helping Ukraine" shares its words with "Israel
had shied away from overtly helping Ukraine". So a claim or summary line is compared with each cited
sentence that carries it: a negation ("no", "never", "not", "shied away from", "denied", "refused to",
"failed to") or an uncertainty cue ("unconfirmed", "reportedly", "may") whose clause holds the words the
line rests on must have its like in the line; a negation in the line must have one in the sentence; and
"confirmed"/"proved" in the line needs the same in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis import grounding_match as gm

_NEGATION = re.compile(
    r"(?i)\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|lack(?:s|ed|ing)?|absence\s+of"
    r"|(?:shied|shy|shies|shying)\s+away\s+from|den(?:y|ies|ied|ying)|refus(?:e|es|ed|ing)"
    r"|fail(?:s|ed|ing)?\s+to|declin(?:e|es|ed|ing)\s+to|reject(?:s|ed|ing)?|avoid(?:s|ed|ing)?"
    r"|dismiss(?:es|ed|ing)?|rul(?:e|es|ed|ing)\s+out|stopp?(?:ed)?\s+short\s+of|back(?:s|ed)?\s+away\s+from"
    r"|refrain(?:s|ed|ing)?\s+from|rather\s+than|instead\s+of|far\s+from|unable\s+to|false|untrue)\b"
    r"|\b\w+n['\u2019]t\b"
)
# Idioms with a negation word that say nothing negative about what follows.
_NOT_NEGATION = re.compile(
    r"(?i)\bnot\s+only\b|\bno\s+doubt\b|\bnot\s+least\b|\bno\s+sooner\b|\bnothing\s+but\b"
    r"|\b(?:could|can|would)(?:\s+not|n['\u2019]t)\s+(?:have\s+been\s+|be\s+)?(?:better|worse|happier|more)\b"
    r"|\bnever\s+been\s+(?:better|higher|stronger|more)\b"
)
_UNCERTAIN = re.compile(
    r"(?i)\b(?:un(?:confirmed|verified|substantiated|corroborated|clear|certain|known|proven)|reportedly"
    r"|alleged(?:ly)?|claim(?:s|ed|ing)?|purported(?:ly)?|may|might|could|possibl[ey]|perhaps|maybe"
    r"|seem(?:s|ed|ingly)?|appear(?:s|ed)?\s+to|apparently|likely|suspect(?:s|ed)?|rumou?r(?:s|ed)?|said\s+to"
    r"|believed\s+to|thought\s+to|hard\s+to\s+pin\s+down|supposed(?:ly)?|speculat\w*)\b"
)
# What in a line carries a sentence's uncertainty: a cue of its own, or saying who says it.
_UN_WORD = re.compile(r"(?i)\bun(?:known|clear|confirmed|verified|proven|substantiated|certain)\b")
_LINE_MODALITY = re.compile(
    _UNCERTAIN.pattern.removeprefix("(?i)") + r"|\b(?:can|would|will|able|sa(?:y|ys|id)|told|tell|according|report(?:s|ed|edly)?"
    r"|stat(?:e|es|ed)|assert(?:s|ed)?|argu(?:e|es|ed)|accus(?:e|es|ed)|insist(?:s|ed)?|warn(?:s|ed)?"
    r"|contend(?:s|ed)?)\b",
    re.IGNORECASE,
)
_STRONG_WORD = re.compile(r"(?i)(?<![\w-])(?<!un)(confirm(?:s|ed)?|prov(?:ed|en|es)|verified)\b")
# Clause edges: a line's words belong to the clause that holds them, and a cue scopes over its clause.
_CLAUSE_EDGE = re.compile(
    r"\s*[;:]\s+|\s+[\u2014\u2013-]{1,2}\s+|,\s+(?=(?:but|while|whereas|although|though|yet|and|or|not|rather)\b)"
    r"|\s+but\s+",
    re.IGNORECASE,
)
_FRONTED = re.compile(r"(?i)\W*(?:while|although|though|whereas|even\s+though|despite|if)\b[^,]*,")
_UNCERTAIN_TYPE = (
    (re.compile(r"(?i)un\w+|hard to pin down"), "unverified"),
    (re.compile(r"(?i)report|alleg|claim|purport|rumou?r|said to|believed to|thought to|suppos|suspect"), "reported"),
)
CARRIES = 0.4  # a cited sentence carries a line when it holds this share of the line's words


@dataclass(frozen=True)
class Verdict:
    reversed: str | None = None  # why the line says the opposite of the text (then it is dropped)
    uncertain: list[tuple[int, int, str]] | None = None  # (start, end, cue type): the text's own doubt


def check(prose: str, text: str, spans: list[tuple[int, int]], *, doubt_drops: bool) -> Verdict:
    """Compare model `prose` with the cited sentences `spans` of `text`. With doubt_drops (summary lines,
    which have no status to show), a doubt the line leaves out reverses it too; claims instead take the
    text's own status and cue from `uncertain`."""
    words = gm.content_words(prose)
    if not words:
        return Verdict()
    # The line's own words (not its names) say what is asserted of whom: they decide where it rests.
    own = gm.content_words(prose, names=False) or words
    # "unknown" says what "do not know" says: a line's un- words count as its negation
    line_neg = _has(_NEGATION, prose) or bool(_UN_WORD.search(prose))
    strong = [m.group(1) for m in _STRONG_WORD.finditer(prose)]
    if strong and not any(_STRONG_WORD.search(text[a:b]) for a, b in spans):
        return Verdict(reversed=f"it says '{strong[0]}', the cited sentences do not")
    any_neg_weak = False
    doubts: list[tuple[int, int, str]] = []
    for a, b in spans:
        clauses = _clauses(text, a, b)
        tokens = _tokens(text, a, b)
        carried = len({s for _, s in tokens if s in words}) >= max(1, CARRIES * len(words))
        hits = [(i, s) for i, s in tokens if s in own]
        stems = {s for _, s in hits}
        idioms = [(m.start(), m.end()) for m in _NOT_NEGATION.finditer(text, a, b)]
        for kind, rx in (("neg", _NEGATION), ("doubt", _UNCERTAIN)):
            for m in rx.finditer(text, a, b):
                if any(x <= m.start() < y for x, y in idioms):
                    continue
                lo, hi = next(((x, y) for x, y in clauses if x <= m.start() < y), (a, b))
                in_clause = {t for i, t in hits if lo <= i < hi and not m.start() <= i < m.end()}
                if kind == "neg":
                    # A negation scopes forward, to the next comma ("who was not involved in the study, said
                    # …" does not deny what was said); its clause is enough for a line's own "not".
                    comma = text.find(",", m.end(), hi)
                    lo, hi = m.start(), comma if comma >= 0 else hi
                inside = {t for i, t in hits if lo <= i < hi and not m.start() <= i < m.end()}
                if kind == "neg":
                    # The words only the negation covers decide ("stoking it, not settling it": "settling"),
                    # not those it shares with the rest of the sentence.
                    only = inside - {t for i, t in hits if not lo <= i < hi}
                    any_neg_weak = any_neg_weak or bool(in_clause)
                    if carried and not line_neg and only and len(only) * 3 >= len(stems):
                        return Verdict(reversed=f"the text says '{text[m.start():m.end()]}' there")
                else:
                    if inside and _cue_type(m.group(0)) == "unverified":  # "remain unconfirmed": a "not" too
                        any_neg_weak = True
                    if carried and inside and len(inside) * 2 >= len(stems) and not _LINE_MODALITY.search(prose):
                        doubts.append((m.start(), m.end(), _cue_type(m.group(0))))
    if line_neg and not any_neg_weak:
        return Verdict(reversed="a negation the cited sentences do not have")
    if doubts and doubt_drops:
        s, e, _ = doubts[0]
        return Verdict(reversed=f"it leaves out the text's '{text[s:e]}'")
    return Verdict(uncertain=doubts or None)


def _has(rx: re.Pattern, prose: str) -> bool:
    idioms = [(m.start(), m.end()) for m in _NOT_NEGATION.finditer(prose)]
    return any(not any(x <= m.start() < y for x, y in idioms) for m in rx.finditer(prose))


def _tokens(text: str, a: int, b: int) -> list[tuple[int, str]]:
    """(offset, stem) of each word of text[a:b], stemmed as grounding_match.content_words stems them."""
    return [(a + m.start(), gm.stem(m.group(0))) for m in re.finditer(r"\w+", text[a:b])]


def _clauses(text: str, a: int, b: int) -> list[tuple[int, int]]:
    cuts = [a]
    fronted = _FRONTED.match(text, a, b)
    if fronted:
        cuts.append(fronted.end())
    cuts += [m.start() for m in _CLAUSE_EDGE.finditer(text, a, b)]
    cuts = sorted(set(cuts)) + [b]
    return [(x, y) for x, y in zip(cuts, cuts[1:], strict=False) if y > x]


def _cue_type(cue: str) -> str:
    for rx, kind in _UNCERTAIN_TYPE:
        if rx.search(cue):
            return kind
    return "hedge"
