"""Noun phrases read from word tokens, for the speaker stage: the phrase that ends at a token
(`core_before`), extended over lower-case modifiers (`compound_start`), and the phrase that starts just
after a cue (`phrase_after`: "said Rep. John Smith", "according to the Kremlin").
"""

from __future__ import annotations

from bot.analysis.offline.cues import verbs
from bot.analysis.offline.doc import DET, FUNCTION_CAP, ORG, PRONOUN, Token
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import (
    DETERMINERS,
    DOCUMENTS,
    FUNCTION_CAPS,
    GROUPS,
    HONORIFICS,
    NOT_AGENTS,
    TITLE_WORDS,
    UNNAMED,
)
from bot.analysis.offline.units import Phrase

_INNER = words("function_words", "phrase_inner")


def _np_token(t: Token) -> bool:
    low = t.lower
    if low in ("percent", "half", "majority", "third", "quarter", "%"):
        return True
    if t.is_cap and low not in FUNCTION_CAPS:
        return True
    return (low in TITLE_WORDS or low in GROUPS or low in UNNAMED or low in HONORIFICS or low in DOCUMENTS
            or low.endswith(("’s", "'s")))


def _trim_inner(toks: list[Token], idx: list[int]) -> list[int]:
    while idx and toks[idx[0]].lower in _INNER:
        idx = idx[1:]
    while idx and toks[idx[-1]].lower in _INNER | DETERMINERS:
        idx = idx[:-1]
    return idx


_ROLE_ENDINGS = ("er", "or", "ist", "ian", "man", "woman")


def role_like(t: Token) -> bool:
    """A lower-case agent noun ("businessman", "practitioner", "economist") can head a speaker phrase."""
    return t.text.isalpha() and t.text.islower() and len(t.text) > 4 and t.text.endswith(_ROLE_ENDINGS) \
        and t.text not in NOT_AGENTS


def core_before(toks: list[Token], end: int, lo: int) -> tuple[int, int] | None:
    """The noun phrase ending at token `end` (exclusive), no further left than `lo`."""
    k = end - 1
    first = end
    if k >= lo and (role_like(toks[k]) or ORG in toks[k].cls) and k - 1 >= lo \
            and (DET in toks[k - 1].cls or _np_token(toks[k - 1])):
        first = k  # "the New York businessman said"
        k -= 1
    while k >= lo:
        t = toks[k]
        low = t.lower
        if low in DETERMINERS and not (t.is_cap and low not in FUNCTION_CAPS):
            if first < end and k - 1 >= lo and toks[k - 1].lower in _INNER and k - 2 >= lo \
                    and _np_token(toks[k - 2]):
                k -= 1  # "Mr. Morgan of the Sierra Club": the article sits inside the phrase
                continue
            if first < end:
                first = k
            break
        if _np_token(t):
            first = k
        elif low in _INNER and k - 1 >= lo and first < end and _np_token(toks[k - 1]):
            pass  # "Secretary of State", "a spokesman for the ministry"
        else:
            break
        k -= 1
    idx = _trim_inner(toks, list(range(first, end)))
    return (idx[0], idx[-1] + 1) if idx else None


_FOREIGN_DET = words("function_words", "foreign_det")  # lower case only: "Marine Le Pen" keeps her "Le"


_PLURAL_NOT_PEOPLE = words("mention_words", "plural_not_people")


def _plural_people(toks: list[Token], j: int, verb: int) -> bool:
    """A lower-case plural right before "say"/"said"/"told", after a possessive: "Clinton's confidants"."""
    t = toks[j]
    if not (t.text.isalpha() and t.text.islower() and t.text.endswith("s") and len(t.text) > 4):
        return False
    if t.lower in _PLURAL_NOT_PEOPLE or verbs().get(toks[verb].lower, ("", ""))[0] not in ("say", "tell", "insist",
                                                                                          "argue", "warn", "claim"):
        return False
    return j - 1 >= 0 and (toks[j - 1].lower.endswith(("’s", "'s")) or toks[j - 1].lower in ("his", "her", "their"))


_NOT_MODIFIER = words("layout_words", "not_modifier")


def compound_start(toks: list[Token], first: int, lo: int) -> int:
    """Extend a speaker phrase over up to three lower-case modifiers when they run back to a comma, the
    sentence start or an article: "…, law enforcement officials say", "The budget office said"."""
    k = first
    while k - 1 >= lo and first - k < 4 and toks[k - 1].text.replace("-", "").isalpha() \
            and toks[k - 1].lower not in _NOT_MODIFIER and FUNCTION_CAP not in toks[k - 1].cls:
        k -= 1
    if k == first:
        return first
    if k == lo or toks[k - 1].text in (",", "“", "\"", ";", ":", "—"):
        return k
    if toks[k - 1].lower in ("the", "a", "an") and (k - 1 == lo or toks[k - 2].text in (",", ";", ":")):
        return k - 1
    return first


def phrase_after(text: str, toks: list[Token], i: int, hi: int) -> Phrase | None:
    """(first token, end token, appositive title) of the speaker phrase starting at token `i`."""
    k = i
    if k < hi and PRONOUN in toks[k].cls:
        # "…, said he" is archaic; "…, said he was unfit" is a report, its subject comes before
        return None
    if k < hi and (DET in toks[k].cls or toks[k].text in _FOREIGN_DET):
        k += 1  # "said the mayor", "a déclaré la maire …"
    while k < hi:
        t = toks[k]
        if _np_token(t):
            k += 1
        elif t.lower in _INNER and k + 1 < hi and (_np_token(toks[k + 1]) or DET in toks[k + 1].cls):
            k += 1 if _np_token(toks[k + 1]) else 2
        else:
            break
    idx = _trim_inner(toks, list(range(i, k)))
    if not idx or not any(_np_token(toks[x]) for x in idx):
        return None
    end = idx[-1] + 1
    # "said a person familiar with the matter": keep the description that makes them a source
    if end < hi and toks[end].lower in ("familiar", "close", "briefed", "knowledgeable", "with", "who"):
        while end < hi and toks[end].text not in (",", ".", ";", ":", "“", "”", "\"") and end - i < 16:
            end += 1
    title = None
    if end + 1 < hi and toks[end].text == "," and toks[end + 1].lower in DETERMINERS | TITLE_WORDS:
        k = end + 1
        while k < hi and toks[k].text not in (",", ".", ";", ":", "“", "”", "\"", "—") and k - end < 14:
            k += 1
        title = text[toks[end + 1].start:toks[k - 1].end]
    if title is None and DET in toks[idx[0]].cls and end < hi and toks[end].text == ",":
        # "says the library's director, Owen Pratt.": the description, then the name
        k = end + 1
        while k < hi and k - end <= 4 and toks[k].is_cap and FUNCTION_CAP not in toks[k].cls:
            k += 1
        if k - (end + 1) >= 2 and (k >= hi or toks[k].text in (".", ",", ";", "!", "?")):
            return Phrase(end + 1, k, text[toks[idx[0]].start:toks[end - 1].end])
    return Phrase(idx[0], end, title)
