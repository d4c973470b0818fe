"""One article prepared for attribution: word tokens with their classes, and which sentence and paragraph
each token lies in.

Abbreviations that carry a full stop ("Mr.", "U.S.", "Sen.", initials) stay one token so that names and
titles can be read across them; any other full stop is its own token and ends a phrase. Each token carries
its word classes (DET, TIME, SPEECH_VERB, TITLE, …) once, looked up in the lexicons when the article is
tokenized.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple

from bot.analysis.model import Sentence
from bot.analysis.offline.lexicon import words
from bot.analysis.sentences import paragraphs

_ABBREV = (
    "Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Maj|Adm|Prof|Rev|Fr|St|Jr|Sr|Mt|Ft|Atty|Supt"
    "|Insp|Cmdr|Gov|Pres|Sec|Amb|Corp|Inc|Co|Ltd|No|Vol|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|vs|etc"
)
_TOKEN = re.compile(
    r"[RDI]-(?:[A-Z]\.)+|[RDI]-[A-Z][a-z]{1,4}\.(?=[\s,)])"  # party and state: "R-Ky.", "D-N.Y."
    r"|(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla"
    r"|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo)\.(?=[,)])"  # a state inside a sentence: "Cambridge, Mass., said"
    r"|(?:[A-Za-z]\.){2,}"  # U.S., U.N., a.m.
    rf"|(?:{_ABBREV})\.(?=\s|$)"
    r"|[A-Z]\.(?=\s+[A-Z])"  # an initial: "John F. Kennedy"
    r"|\w+(?:[-’'&]\w+)*(?:[’']s?(?=\W|$))?"  # words, hyphenated, with a possessive or elided ending
    r"|[^\w\s]"
)


class Token(NamedTuple):
    """A word or punctuation mark with its offsets, its lower-cased text and its word classes (CLASSES).
    A named tuple: an article has thousands, and tuples are built fastest."""

    text: str
    start: int
    end: int
    lower: str
    cls: frozenset[str] = frozenset()

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    """Tokens of `text` in order, each with its word classes; never raises."""
    table = _class_table()
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        low = word.lower()
        out.append(Token(word, m.start(), m.end(), low, table.get(low, _NONE)))
    return out


# Word classes a token carries, each one lexicon section: rules ask `DET in tok.cls` instead of keeping
# their own copy of the list.
DET, PRONOUN, TIME, PREP, RELATIVE = "DET", "PRONOUN", "TIME", "PREP", "RELATIVE"
TITLE, ROLE, HONORIFIC, GROUP, UNNAMED_ROLE, ORG, PLACE, DOCUMENT = (
    "TITLE", "ROLE", "HONORIFIC", "GROUP", "UNNAMED_ROLE", "ORG", "PLACE", "DOCUMENT")
FUNCTION_CAP, NOMINATIVE, FINITE, HEARER, NEGATION, SUBORDINATOR, PASSIVE_AUX = (
    "FUNCTION_CAP", "NOMINATIVE", "FINITE", "HEARER", "NEGATION", "SUBORDINATOR", "PASSIVE_AUX")
SPEECH_VERB, WEAK_VERB, OBJECT_VERB, COGNITION_VERB = "SPEECH_VERB", "WEAK_VERB", "OBJECT_VERB", "COGNITION_VERB"
CLASSES: dict[str, tuple[tuple[str, str], ...]] = {
    DET: (("function_words", "det"),),
    PRONOUN: (("function_words", "pronoun"),),
    TIME: (("function_words", "time"),),
    PREP: (("function_words", "prep"),),
    RELATIVE: (("function_words", "relative"),),
    TITLE: (("titles", "role"), ("titles", "modifier")),
    ROLE: (("titles", "role"),),
    HONORIFIC: (("titles", "honorific"),),
    GROUP: (("titles", "group"),),
    UNNAMED_ROLE: (("titles", "unnamed"),),
    ORG: (("organizations_words", "org"),),
    PLACE: (("organizations_words", "place"),),
    DOCUMENT: (("mention_words", "document"),),
    FUNCTION_CAP: (("function_words", "function_cap"), ("function_words", "opening_participle")),
    NOMINATIVE: (("function_words", "nominative"),),
    FINITE: (("function_words", "finite"),),
    HEARER: (("layout_words", "hearer"),),
    NEGATION: (("function_words", "negation"),),
    SUBORDINATOR: (("function_words", "subordinator"),),
    PASSIVE_AUX: (("function_words", "passive_aux"),),
}
_NONE: frozenset[str] = frozenset()


@cache
def _class_table() -> dict[str, frozenset[str]]:
    from bot.analysis.offline.cues import verbs  # every inflected form of a reporting verb

    out: dict[str, set[str]] = {}
    for name, where in CLASSES.items():
        for file, section in where:
            for w in words(file, section):
                out.setdefault(w, set()).add(name)
    verb_class = {"speech": SPEECH_VERB, "weak": WEAK_VERB, "object": OBJECT_VERB, "cognition": COGNITION_VERB}
    for form, (_, cls) in verbs().items():
        out.setdefault(form, set()).add(verb_class[cls])
    return {w: frozenset(c) for w, c in out.items()}

# A sentence splitter may stop after "Ms." or "Sen." ("…, said Ms. | Gil, with …"); such pieces are rejoined
_ABBREV_END = re.compile(r"(?:^|\s)(?:Ms|Mr|Mrs|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|Sens|Reps|Messrs|Mmes|Amb|Adm|Supt)\.$")


def _rejoin(text: str, sentences: list[Sentence]) -> list[Sentence]:
    out: list[Sentence] = []
    for s in sentences:
        p = out[-1] if out else None
        if p is not None and _ABBREV_END.search(text, p.start, p.end) and text[s.start:s.start + 1].isupper() \
                and "\n" not in text[p.end:s.start]:
            out[-1] = Sentence(id=p.id, start=p.start, end=s.end)
        else:
            out.append(s)
    return out


# "HOUSTON (Reuters) - ", "WASHINGTON — ", "LONDON, March 3 (AP) -- ": a dateline, not what anyone said
_DATELINE = re.compile(r"[A-Z][A-Z.'’ -]{2,}(?:,[^()\n]{1,30}?)?\s*(?:\([^()\n]{1,40}\))?\s*(?:-{1,2}|—|–)\s*")


@dataclass
class Doc:
    text: str
    sentences: list[Sentence]
    toks: list[Token] = field(init=False)
    starts: list[int] = field(init=False)
    sent_starts: list[int] = field(init=False)
    paras: list[tuple[int, int]] = field(init=False)
    para_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.sentences = _rejoin(self.text, self.sentences)
        self.toks = tokenize(self.text)
        self.starts = [t.start for t in self.toks]
        self.sent_starts = [s.start for s in self.sentences]
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]

    @cached_property
    def acronyms(self) -> dict[str, str]:
        """Acronym -> the name the article spells it out as ("WHO" -> "World Health Organization")."""
        # imported here: acronyms.py reads the name lexicons, which are built on this module
        from bot.analysis.offline.acronyms import expansions

        return expansions(self.text)

    def tok_at(self, offset: int) -> int:
        """Index of the first token starting at or after `offset`."""
        return bisect.bisect_left(self.starts, offset)

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, offset) - 1)

    def sentence_tokens(self, offset: int) -> tuple[int, int]:
        """Token range [lo, hi) of the sentence holding `offset`."""
        if not self.sentences:
            return 0, len(self.toks)
        s = self.sentences[self.sentence_index(offset)]
        return self.tok_at(s.start), self.tok_at(s.end)

    def after_dateline(self, lo: int, hi: int) -> int:
        """First token of the sentence [lo, hi) after any dateline it opens with."""
        if lo >= hi:
            return lo
        m = _DATELINE.match(self.text, self.toks[lo].start)
        return self.tok_at(m.end()) if m and self.tok_at(m.end()) < hi else lo

    def para_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, offset) - 1)

    def para_bounds(self, offset: int) -> tuple[int, int]:
        return self.paras[self.para_index(offset)] if self.paras else (0, len(self.text))


_STOP_PUNCT = frozenset({".", ";", ":", "?", "!", "“", "”", "\"", "(", ")", "[", "]", "—", "–", "―"})


def stop_punct(t: Token) -> bool:
    """Punctuation that ends a phrase."""
    return t.text in _STOP_PUNCT
