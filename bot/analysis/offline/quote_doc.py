"""One article prepared for quote finding: its tokens, and which sentence and paragraph each lies in."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from bot.analysis.model import Sentence
from bot.analysis.offline.quote_tokens import Token, tokenize
from bot.analysis.sentences import paragraphs

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
