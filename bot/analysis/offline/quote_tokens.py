"""Word tokens with character offsets, shaped for finding names and reporting verbs.

Abbreviations that carry a full stop ("Mr.", "U.S.", "Sen.", initials) stay one token so that names and
titles can be read across them; any other full stop is its own token and ends a phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    """Tokens of `text` in order; never raises."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
