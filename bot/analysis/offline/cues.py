"""Stage 1, cues: which words report speech, and whether a reporting word reports here.

`verbs()` maps every inflected form of a reporting verb (lexicons/reporting_verbs.txt) to its lemma and
class; `INVERTIBLE` holds the forms that can come before their subject ("…," said X); the cue rules below
veto a reporting word that is no report here ("has never declared", "the State IG report").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.analysis.offline.doc import NEGATION, PASSIVE_AUX, Doc, Token
from bot.analysis.offline.lexicon import sections, tagged, words
from bot.analysis.offline.rules import STOP, Rule, stage, vetoed
from bot.analysis.offline.units import Cue, Phrase

_VOWELS = "aeiou"


def _forms(lemma: str, irregular: list[str]) -> set[str]:
    out = {lemma}
    if lemma.endswith("e"):
        stem = lemma[:-1]
        out |= {lemma + "s", lemma + "d", stem + "ing"}
    elif lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        es = "es" if lemma.endswith(("s", "sh", "ch", "x", "z", "o")) else "s"
        out |= {lemma + es, lemma + "ed", lemma + "ing"}
        # admit -> admitted: double a final consonant after a single vowel
        if len(lemma) > 2 and lemma[-1] not in _VOWELS + "wxy" and lemma[-2] in _VOWELS \
                and lemma[-3] not in _VOWELS:
            out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    out |= set(irregular)
    return out


@lru_cache(maxsize=1)
def foreign_forms() -> frozenset[str]:
    """The forms of lexicons/reporting_verbs_intl.txt (German, French, Spanish)."""
    return frozenset(f for lang in ("de", "fr", "es") for entry in sections("reporting_verbs_intl").get(lang, ())
                     for f in entry.lower().split()[1:])


@lru_cache(maxsize=1)
def stance_verbs() -> frozenset[str]:
    """Every form of the verbs that spread an idea ("promoted the theory that …"): reporting_verbs [stance]."""
    return frozenset(f for e in sections("reporting_verbs").get("stance", ())
                     for f in _forms(e.lower().split()[0], e.lower().split()[1:]))


@lru_cache(maxsize=1)
def verbs() -> dict[str, tuple[str, str]]:
    """Inflected form -> (lemma, class); class is "speech", "weak", "object" or "cognition"."""
    out: dict[str, tuple[str, str]] = {}
    for cls in ("cognition", "object", "weak", "speech"):  # the stronger class wins where a verb is in two
        for entry in sections("reporting_verbs").get(cls, ()):
            parts = entry.lower().split()
            for f in _forms(parts[0], parts[1:]):
                out[f] = (parts[0], cls)
    for lang in ("de", "fr", "es"):  # every form written out; the infinitive itself is no cue
        for entry in sections("reporting_verbs_intl").get(lang, ()):
            parts = entry.lower().split()
            for f in parts[1:]:
                out.setdefault(f, (parts[0], "speech"))
    return out


_PASSIVE = words("function_words", "passive_aux")


def is_passive(toks: list[Token], verb: int) -> bool:
    """"was told", "is said to": the subject is not the one who speaks."""
    j = verb - 1
    while j >= 0 and toks[j].lower in ("also", "not", "never", "reportedly", "allegedly", "widely"):
        j -= 1
    return j >= 0 and PASSIVE_AUX in toks[j].cls


def is_verb(t: Token) -> bool:
    """A reporting verb in running text: lower case, so "United States" and "Said Smith" are not."""
    return t.text[:1].islower() and t.lower in verbs()


# "…," said X / "…," scoffed X: the past and -s forms of every speech verb (and of the weak verbs tagged
# +invert) can come before their subject; those tagged -invert ("told", "assured", "urged") take an object
# there instead. A few forms invert although their lemma does not ("…?" asked Smith): layout_words.
INVERTIBLE = words("layout_words", "inverted_form") | frozenset(
    form for form, (lemma, cls) in verbs().items()
    if (cls == "speech" or lemma in tagged("reporting_verbs", "invert"))
    and lemma not in tagged("reporting_verbs", "invert", negative=True)
    and not form.endswith("ing") and form != lemma)


_NEGATION = words("function_words", "negation")
_NOUN_LIKE = words("layout_words", "cue_noun")
_NOUNISH = words("layout_words", "cue_noun_lemma")
_DETS = words("function_words", "det_noun")


@dataclass(slots=True)
class Word:
    """A reporting word at token `v` of a sentence starting at token `lo`."""

    doc: Doc
    v: int
    lo: int
    lemma: str

    @property
    def next(self) -> str:
        t = self.doc.toks
        return t[self.v + 1].lower if self.v + 1 < len(t) else ""


def reports_here(doc: Doc, v: int, lo: int, lemma: str) -> bool:
    """Whether the reporting word at `v` reports speech here: no rule of stage "cue" vetoes it."""
    return not vetoed(CUE_RULES, Word(doc, v, lo, lemma))


def _negated(w: Word) -> object:
    return STOP if w.v - 1 >= w.lo and NEGATION in w.doc.toks[w.v - 1].cls else None


def _compared(w: Word) -> object:
    return STOP if w.next == "than" else None


def _noun_unless_that(w: Word) -> object:
    return STOP if w.doc.toks[w.v].lower in _NOUN_LIKE and w.next != "that" else None


def _states_noun(w: Word) -> object:
    t, v = w.doc.toks, w.v
    return STOP if t[v].lower in ("state", "states") and v - 1 >= w.lo and t[v - 1].is_cap else None


def _noun_after_determiner(w: Word) -> object:
    t, v, lo = w.doc.toks, w.v, w.lo
    if t[v].lower == w.lemma and w.lemma in _NOUNISH:
        k = v - 1
        while k >= lo and k > v - 4 and t[k].is_cap:
            k -= 1
        if k >= lo and t[k].lower in _DETS and k < v - 1 or (k >= lo and k == v - 1 and t[k].lower in _DETS):
            return STOP
    return None


CUE_RULES = stage("cue", [
    Rule("cue.negated", "The minister has never said the plan was final.", _negated),
    Rule("cue.compared", "Fixing the roof is easier said than done, the builder admitted.", _compared),
    Rule("cue.noun_unless_that", "His remarks about the budget drew jeers from the crowd.", _noun_unless_that),
    Rule("cue.states_noun", "The Rust Belt states that voted for him are angry.", _states_noun),
    Rule("cue.noun_after_determiner", "Many voters heard the claim that the pier was unsafe.", _noun_after_determiner),
])


def according_to(t: list[Token], i: int, hi: int) -> int:
    """How many tokens an "according to" cue at `i` takes: 2 for "according to", 1 for "selon", "según",
    "laut" (lexicon layout_words [according]); 0 when there is none."""
    if t[i].lower == "according" and i + 1 < hi and t[i + 1].lower == "to":
        return 2
    return 1 if t[i].lower in _ACCORDING and i + 1 < hi else 0


_ACCORDING = words("layout_words", "according")


def cue_span(doc: Doc, verb: int, phrase: Phrase | None) -> Cue:
    """The verb, with an adjacent pronoun subject ("he said") or a first-person object ("told me")."""
    t = doc.toks
    start, end = t[verb].start, t[verb].end
    if phrase and phrase.end - phrase.first == 1 and phrase.end == verb \
            and t[phrase.first].lower in ("he", "she", "they"):
        start = t[phrase.first].start
    if verb + 1 < len(t) and t[verb + 1].lower in ("me", "us", "reporters"):
        end = t[verb + 1].end
    return Cue(start, end)
