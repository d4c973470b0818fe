"""Stage 2, speaker phrases (continued): subjects that are not next to their cue.

"…, saying …" and "… and said …" take the subject opening the sentence's main clause; a plain "said" after
a quantified group no lexicon names ("Almost half of respondents said") reports that group.
"""

from __future__ import annotations

from bot.analysis.offline.cues import is_verb
from bot.analysis.offline.doc import FINITE, NOMINATIVE, PLACE, PRONOUN, Doc, Token, stop_punct
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import FUNCTION_CAPS, classify
from bot.analysis.offline.noun_phrases import phrase_after
from bot.analysis.offline.speakers import _PREPOSITIONS, phrase_before
from bot.analysis.offline.units import Phrase

_INTERJECTIONS = words("layout_words", "interjection")


def participle_subject(text: str, toks: list[Token], verb: int, lo: int) -> Phrase | None:
    """The subject of "…, saying …" / "… and says …" / "…, but said …": the phrase opening the sentence."""
    prev = toks[verb - 1].lower if verb - 1 >= lo else ""
    participle = toks[verb].lower.endswith("ing") and (prev == "," or (
        verb - 2 >= lo and toks[verb - 1].is_cap and toks[verb - 2].lower in _PREPOSITIONS))
    if not (participle or prev in ("and", "but")) or verb - 1 <= lo:
        return None
    for x in range(verb - 2, lo - 1, -1):
        # "…,” Rendell recalled, suggesting …": the subject of the nearest reporting verb
        if is_verb(toks[x]) and not toks[x].lower.endswith("ing"):
            ph = phrase_before(text, toks, x, lo)
            if ph is not None:
                return ph
            break
    k = main_clause_start(toks, lo, verb)
    return sentence_subject(text, toks, k, verb) if k is not None else None


_INTRO = words("layout_words", "intro")


def main_clause_start(toks: list[Token], lo: int, verb: int) -> int | None:
    """First token of the main clause's subject: past "But", a quote mark, and introductory phrases up to
    their comma ("Facing mounting criticism, Mr. Trump …", "Hours later, Trump …", "On the Democratic side,
    Mrs. Clinton …"). None when an introduction has no comma before the verb."""
    k = lo
    for _ in range(4):
        while k < verb and (toks[k].lower in ("but", "and", "so", "yet", "meanwhile", "still", "then")
                            or toks[k].text in "“\"‘'"):
            k += 1
        if k >= verb:
            return None
        first = toks[k]
        intro = first.lower in _INTRO or (first.is_cap and first.lower.endswith("ing") and len(first.text) > 4) \
            or first.text[:1].isdigit()
        if not intro:
            return k
        c = next((x for x in range(k + 1, verb - 1) if toks[x].text == ","), None)
        if c is None:
            return None
        k = c + 1
        # "… in Salem, New Hampshire, Trump …": the rest of a place name
        c2 = next((x for x in range(k, min(verb - 1, k + 4)) if toks[x].text == ","), None)
        if c2 is not None and all(x.is_cap for x in toks[k:c2]) and any(PLACE in x.cls for x in toks[k:c2]):
            k = c2 + 1
    return k


def sentence_subject(text: str, toks: list[Token], k: int, hi: int) -> Phrase | None:
    """The phrase opening a sentence, unless it is an adverb or an interjection ("Hastily,", "Wait,")."""
    if k < hi and (PRONOUN in toks[k].cls or toks[k].lower in ("she's", "she’s", "he's", "he’s")):
        return Phrase(k, k + 1, None)  # "She responded …, writing", "She's a supporter but concedes …"
    ph = phrase_after(text, toks, k, hi)
    if ph is not None and ph.end - ph.first == 1:
        low = toks[ph.first].lower
        if low.endswith("ly") or low in FUNCTION_CAPS or low in _INTERJECTIONS:
            return None
    return ph


_FINITE = words("function_words", "finite")
_NOMINATIVE = words("function_words", "nominative")
_GROUP_OPENERS = words("layout_words", "group_opener")
_BEFORE_PLAIN_SAY = words("layout_words", "before_plain_say")
_QUANTIFIERS = words("function_words", "quantifier")
_NOT_IN_SUBJECT = words("layout_words", "not_in_subject")
_PEOPLE_HEADS = words("mention_words", "people_head")


def _plain_subject(doc: Doc, v: int, lo: int) -> Phrase | None:
    """The short noun phrase opening the clause of a plain "said": "Almost half of respondents said",
    "Some of the women said", "Many speakers at the service said" (no name or lexicon word heads them)."""
    t = doc.toks
    j = v - 1
    while j >= lo and t[j].lower in _BEFORE_PLAIN_SAY:
        j -= 1
    if j - 2 >= lo and t[j].text == "," and t[j - 1].lower == "however" and t[j - 2].text == ",":
        j -= 3  # "Proponents of the bill, however, say …"
    s = main_clause_start(t, lo, v)
    if s is None and j - lo >= 2 and t[lo].lower == "at" and t[lo + 1].lower in ("least", "most"):
        s = lo  # "At least half of voters say …"
    # "…, but majorities in all five say …": the subject opens the last clause before the verb
    b = next((x for x in range(j, lo, -1) if t[x].lower in ("but", "while", "whereas") and t[x - 1].text == ","),
             None)
    if b is not None and (s is None or b + 1 > s):
        s = b + 1
    if s is None or j < s or j + 1 - s > 8 or t[s].lower not in _QUANTIFIERS and not t[s].text[:1].isdigit() \
            and t[s].lower not in _GROUP_OPENERS:
        return None
    for x in t[s:j + 1]:
        if x.text in (",", "(", ")") or stop_punct(x) or x.lower in _NOT_IN_SUBJECT and x is not t[s] \
                or FINITE in x.cls or (is_verb(x) and x.text.islower() and x.lower != "polled") \
                or NOMINATIVE in x.cls or x.lower in ("he", "she", "we", "you", "i"):
            return None
    prep = next((x for x in range(s + 1, j + 1) if t[x].lower in _PREPS), None)
    heads = {t[j].lower} | ({t[prep - 1].lower} if prep is not None else set())
    if not any(h.endswith("s") or h in _PEOPLE_HEADS for h in heads):
        return None  # "the same", "a statement": the head must name people
    return Phrase(s, j + 1, None)


_PREPS = words("function_words", "prep_subject")


PLURAL_SUBJECT_WORDS = 8


def plural_subject(doc: Doc, w: int, lo: int) -> Phrase | None:
    """A plain plural noun phrase opening the clause before token `w`, for a stance rather than a report
    ("Thousands of social media posts are spreading claims that …"): no punctuation, no finite verb."""
    t = doc.toks
    s = main_clause_start(t, lo, w)
    if s is None or not 0 < w - s <= PLURAL_SUBJECT_WORDS or not t[w - 1].text.islower() \
            or not t[w - 1].lower.endswith(("s", "men")) or len(t[w - 1].text) < 4:
        return None
    if any(stop_punct(x) or x.text == "," or FINITE in x.cls or NOMINATIVE in x.cls for x in t[s:w]):
        return None
    return Phrase(s, w, None)


def _acting_subject(doc: Doc, v: int, lo: int) -> Phrase | None:
    """The subject of "…, saying …" / "… and said …" that no lexicon word heads: "The departments declined
    to comment, saying …", "One operative inside the campaign tried to play it down, saying …"."""
    t = doc.toks
    p = v - 1
    while p > lo and t[p].lower in ("then", "also", "later", "quickly", "again"):
        p -= 1
    prev = t[p].lower if p > lo else ""
    if not ((prev == "," and t[v].lower.endswith("ing")) or prev in ("and", "but")):
        return None
    s = main_clause_start(t, lo, v)
    if s is None or t[s].lower not in _QUANTIFIERS and not t[s].text[:1].isdigit():
        return None
    e = s + 1
    while e < v and e - s <= 8 and not (t[e].text.islower() and t[e].lower not in _PREPS
                                         and (FINITE in t[e].cls or t[e].lower.endswith("ed") or is_verb(t[e])
                                              or t[e].lower in _ACTS)):
        if t[e].text in (",", "(", ")") or stop_punct(t[e]) or t[e].lower in _NOT_IN_SUBJECT:
            return None
        e += 1
    if e >= v or e - s > 8:
        return None
    head = next((x for x in range(s + 1, e) if t[x].lower in _PREPS), e)
    if not t[head - 1].lower.endswith("s") and t[s].lower not in ("one", "a", "an") \
            and classify(doc.text, t[s:head]) is None:
        return None
    return Phrase(s, head, None)


_ACTS = words("layout_words", "act_verb")
