"""The grounding context: the article text, its sentences and paragraphs, what was dropped and why,
and whether a name is in the text."""

from __future__ import annotations

import logging
import re
from collections import Counter

from bot.analysis import grounding_match as gm
from bot.analysis.model import Quote, Sentence, Speaker
from bot.analysis.sentences import paragraphs, sentence_at

log = logging.getLogger("bot.analysis.grounding")

_PRONOUNS = frozenset("he she they it i we you him her them his hers their its this that who".split())
_LEADING = ("the ", "a ", "an ")
_VAGUE = ("anonymous ", "unnamed ", "unidentified ")
INJECTED = "items dropped: they cite text that reads like instructions to an AI model"


class Context:
    def __init__(self, text: str, sentences: list[Sentence], allowed: set[int] | None, author: str | None):
        self.text = text
        self.nt = gm.normalize(text)
        self.sentences = {s.id: s for s in sentences}
        self.order = sentences
        self.allowed = allowed if allowed is not None else set(self.sentences)
        self.paras = paragraphs(text)
        self.author = author
        self.drops: Counter[str] = Counter()
        self.replaced: Counter[str] = Counter()  # model items stood in for by the offline engine's, per kind
        self._proper: set[str] | None = None
        self.tainted = self._tainted()

    def _tainted(self) -> set[int]:
        """Sentences of paragraphs that address a model (prompt injection): the model may not cite them."""
        bad_paras = {
            self.para_of(s.start) for s in self.order if gm.looks_like_injection(self.text[s.start : s.end])
        }
        return {s.id for s in self.order if self.para_of(s.start) in bad_paras}

    def touches_tainted(self, ids: list[int]) -> bool:
        if any(i in self.tainted for i in ids):
            self.drops[INJECTED] += 1
            return True
        return False

    def drop(self, reason: str, item: object) -> None:
        self.drops[reason] += 1
        log.info("grounding dropped an item (%s): %r", reason, item)

    def ids_ok(self, ids: list[int]) -> bool:
        return bool(ids) and all(i in self.sentences and i in self.allowed for i in ids)

    def para_of(self, offset: int) -> tuple[int, int]:
        for p in self.paras:
            if p[0] <= offset < p[1]:
                return p
        return (0, len(self.text))

    def neighbours(self, sid: int) -> list[int]:
        """The sentence and the ones either side that the model was shown: where an item cited one
        sentence off is looked for."""
        return [i for i in (sid, sid - 1, sid + 1) if i in self.sentences and i in self.allowed]

    def window(self, sid: int, before: int, after: int) -> tuple[int, int]:
        ids = [i for i in self.allowed if sid - before <= i <= sid + after]
        return self.sentences[min(ids)].start, self.sentences[max(ids)].end

    def bounds(self) -> tuple[int, int]:
        """The part of the text the model was shown."""
        shown = [self.sentences[i] for i in self.allowed if i in self.sentences]
        return min(s.start for s in shown), max(s.end for s in shown)

    def near(self, ids: list[int]) -> tuple[int, int]:
        """From the paragraph before the first cited sentence's to the end of the last one's paragraph."""
        p_start = self.para_of(self.sentences[min(ids)].start)[0]
        lo = max((p for p in self.paras if p[1] <= p_start), default=(p_start, p_start))[0]
        return lo, self.para_of(self.sentences[max(ids)].start)[1]

    def paragraphs_of(self, ids: list[int]) -> tuple[int, int]:
        """From the start of the first cited sentence's paragraph to the end of the last one's."""
        return self.para_of(self.sentences[min(ids)].start)[0], self.para_of(self.sentences[max(ids)].start)[1]

    def foreign_names(self, prose: str, lo: int, hi: int) -> list[str]:
        """Proper names in model prose that the text does not have in [lo, hi): "Netanyahu praised Russia's
        assistance" citing Ali Baraka's sentence shares every other word with it."""
        if self._proper is None:
            self._proper = _proper_stems(gm.fold(self.text))
        part = gm.fold(self.text[lo:hi])
        words = _WORDS.findall(part)
        window = {gm.stem(w) for w in words} | _acronyms(part)
        # abbreviations the text uses for what prose spells out: "Oct." for October, "Sen." for Senator
        short = {w.lower() for w in words if len(w) >= 3 and w[0].isupper()}
        out = []
        for i, w in enumerate(_WORDS.findall(gm.fold(prose))):
            if len(w) < 3 or not w[0].isupper() or w.lower() in _NOT_NAMES:
                continue
            if i == 0 and gm.stem(w) not in self._proper:
                continue  # a capital only because it starts the line ("Residents", "Officials")
            if gm.stem(w) not in window and w.lower() not in window and not any(w.lower().startswith(a) for a in short):
                out.append(w)
        return out

    def sentence_text(self, ids: list[int]) -> str:
        return " ".join(self.text[self.sentences[i].start : self.sentences[i].end] for i in ids)


_WORDS = re.compile(r"\w+")
_NOT_NAMES = frozenset("the this that these those and but for with from into its his her their our they there then "
                       "when while after before although though however meanwhile".split())


_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|and|the|on|de)\s+)*[A-Z][\w'’-]*)+")
_SMALL = frozenset("of for and the on de".split())


def _acronyms(text: str) -> set[str]:
    """Initials of the multi-word names in `text`, lower case: "Environmental Protection Agency" → "epa",
    "National Association of Head Teachers" → "naht" and "naoht"."""
    out = set()
    for m in _NAME_RUN.finditer(text):
        words = m.group(0).split()
        out.add("".join(w[0] for w in words if w.lower() not in _SMALL).lower())
        out.add("".join(w[0] for w in words).lower())
    return {a for a in out if len(a) >= 2}


def _proper_stems(text: str) -> set[str]:
    """Stems of the words the text capitalises where no sentence starts: its names."""
    out = set()
    for m in re.finditer(r"\b[A-Z]\w+", text):
        gap = text[max(0, m.start() - 40) : m.start()]
        before = gap.rstrip(" \t")
        if before and before[-1] not in ".!?\"\u201c\u201d:\u2014-\n" and before.strip():
            out.add(gm.stem(m.group(0)))
    return out


def named(ctx: Context, name: str, lo: int, hi: int, kind: str) -> str | None:
    """The name as the text writes it, if `name` occurs in the text and it (or a person's surname)
    occurs within [lo, hi); else None."""
    candidates = _name_forms(name)
    if not candidates:
        return None
    for c in candidates:
        spans = gm.find_exact(ctx.nt, c, lo, hi)
        if spans:
            return _display(ctx, spans[0], name)
    tokens = candidates[0].split()
    if kind == "person" and len(tokens) >= 2 and gm.find_exact(ctx.nt, tokens[-1], lo, hi):
        for c in candidates:
            spans = gm.find_exact(ctx.nt, c)
            if spans:
                return _display(ctx, spans[0], name)
    return None


def _display(ctx: Context, span: tuple[int, int], model_name: str) -> str:
    # The article's spelling (its apostrophes, accents, case), capitalised as a heading would be.
    shown = " ".join(ctx.text[span[0] : span[1]].split())
    if model_name[:1].isupper() and shown[:1].islower():
        shown = shown[0].upper() + shown[1:]
    return shown


def _name_forms(name: str) -> list[str]:
    n = gm.norm_str(name).strip(" .,;:")
    if n.endswith("'s"):
        n = n[:-2]
    if not n or n in _PRONOUNS:
        return []
    forms = [n]
    for prefix in _LEADING + _VAGUE:
        if n.startswith(prefix) and n[len(prefix) :]:
            forms.append(n[len(prefix) :])
    return [f for f in forms if f not in _PRONOUNS]


def stated_speaker(ctx: Context, quote: Quote) -> Speaker | None:
    """The offline engine's speaker for `quote` when the text names that speaker in the quote's own
    sentences ('… Raj Patel … said the estimates were "wildly optimistic"'): structural evidence of who
    says the words, which a model answer (perhaps steered by injected text) may not overrule. A speaker
    resolved from a pronoun ("he said") is no such evidence."""
    sp = quote.speaker
    if not sp.name or sp.kind == "author":
        return None
    lo, hi = quote.start, quote.end
    if quote.cue is not None:
        lo, hi = min(lo, quote.cue.start), max(hi, quote.cue.end)
    first = ctx.sentences.get(sentence_at(ctx.order, lo))
    last = ctx.sentences.get(sentence_at(ctx.order, max(lo, hi - 1)))
    if first is None or last is None:
        return None
    return sp if named(ctx, sp.name, first.start, last.end, sp.kind) else None


def same_speaker(a: str, b: str, persons: bool = False) -> bool:
    """Whether two names mean the same speaker: equal, one inside the other ("Putin", "Vladimir Putin",
    "Russian President Vladimir Putin"), or, for two persons, the same surname ("President Putin")."""
    fa, fb = _name_forms(a), _name_forms(b)
    if not fa or not fb:
        return False
    for x in fa:
        for y in fb:
            if x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} ":
                return True
    return persons and fa[0].split()[-1] == fb[0].split()[-1]
