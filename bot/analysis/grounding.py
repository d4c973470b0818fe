"""Grounding: every item of a model's answer is checked against the article text before anyone sees it.

- A direct quote must be in the text, verbatim after normalisation or near-verbatim (rapidfuzz >= 97);
  the exact source span replaces the model's words. Verbatim words outside quotation marks are shown as
  an indirect quote. Anything else is dropped.
- An indirect quote must overlap its cited sentence; its text becomes the matching words of the text.
- A flag's cue must occur in its cited sentence; offsets come from the text.
- Every cited sentence id must exist (and have been shown to the model).
- A speaker or source must be named in the text (a quote's speaker near the quote), or be the author.
- Model-written prose (summary, claims) loses Slack mentions and links and must share words with the
  sentences it cites.
Each dropped item is counted in the warnings and logged. The offline engine's flags are merged in, so
nothing the text marks as unconfirmed is lost when the model misses it.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from bot.analysis import grounding_match as gm
from bot.analysis.llm_schema import AnswerV1, ClaimV1, FlagV1, QuoteV1
from bot.analysis.model import (
    UNCONFIRMED_TYPES,
    Claim,
    Cue,
    Flag,
    Quote,
    Sentence,
    Span,
    Speaker,
    SummaryItem,
)
from bot.analysis.sentences import paragraphs, sentence_at

log = logging.getLogger(__name__)

QUOTE_THRESHOLD = 97.0  # near-verbatim: a couple of characters in a hundred
INDIRECT_ALIGN = 80.0  # an indirect quote's words aligned inside its sentence
INDIRECT_SUPPORT = 0.5  # else: share of its content words found in the sentence
CLAIM_SUPPORT = 0.6  # share of a claim's content words found in its cited sentences
SUMMARY_SUPPORT = 0.5  # summary lines abstract a little more
CUE_MAX_BEFORE = 60  # characters from a reporting verb to the quote it introduces ("X said that …")
CUE_MAX_AFTER = 30  # characters from a quote to its trailing attribution ('"…," said X')
FUZZY_MIN_CHARS = 20  # shorter quotes must match exactly; a short fuzzy match is a different phrase

_PRONOUNS = frozenset("he she they it i we you him her them his hers their its this that who".split())
_LEADING = ("the ", "a ", "an ")
_VAGUE = ("anonymous ", "unnamed ", "unidentified ")
AUTHOR = "author"
_INJECTED = "items dropped: they cite text that reads like instructions to an AI model"
INJECTION_WARNING = (
    "The article contains text addressed to AI models (possible prompt injection); nothing was taken from it."
)


@dataclass
class Grounded:
    summary: list[SummaryItem] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    kind: str = "unknown"
    warnings: list[str] = field(default_factory=list)


class _Ctx:
    def __init__(self, text: str, sentences: list[Sentence], allowed: set[int] | None, author: str | None):
        self.text = text
        self.nt = gm.normalize(text)
        self.sentences = {s.id: s for s in sentences}
        self.order = sentences
        self.allowed = allowed if allowed is not None else set(self.sentences)
        self.paras = paragraphs(text)
        self.author = author
        self.drops: Counter[str] = Counter()
        self.tainted = self._tainted()

    def _tainted(self) -> set[int]:
        """Sentences of paragraphs that address a model (prompt injection): the model may not cite them."""
        bad_paras = {
            self.para_of(s.start) for s in self.order if gm.looks_like_injection(self.text[s.start : s.end])
        }
        return {s.id for s in self.order if self.para_of(s.start) in bad_paras}

    def touches_tainted(self, ids: list[int]) -> bool:
        if any(i in self.tainted for i in ids):
            self.drops[_INJECTED] += 1
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

    def window(self, sid: int, before: int, after: int) -> tuple[int, int]:
        ids = [i for i in self.allowed if sid - before <= i <= sid + after]
        return self.sentences[min(ids)].start, self.sentences[max(ids)].end

    def bounds(self) -> tuple[int, int]:
        """The part of the text the model was shown."""
        shown = [self.sentences[i] for i in self.allowed if i in self.sentences]
        return min(s.start for s in shown), max(s.end for s in shown)

    def sentence_text(self, ids: list[int]) -> str:
        return " ".join(self.text[self.sentences[i].start : self.sentences[i].end] for i in ids)


def ground(
    answer: AnswerV1,
    text: str,
    sentences: list[Sentence],
    *,
    allowed_ids: set[int] | None = None,
    offline_quotes: list[Quote] | None = None,
    offline_flags: list[Flag] | None = None,
    author: str | None = None,
) -> Grounded:
    """Check `answer` against `text`; return only what holds, with offsets from the text."""
    ctx = _Ctx(text, sentences, allowed_ids, author)
    out = Grounded(kind=answer.kind)
    out.quotes = _quotes(ctx, answer.quotes, offline_quotes or [])
    out.flags = merge_flags(offline_flags or [], _flags(ctx, answer.flags))
    out.claims = _claims(ctx, answer.claims, out.flags)
    out.summary = _summary(ctx, answer)
    out.warnings = [INJECTION_WARNING] if ctx.tainted else []
    out.warnings += [f"{n} model {reason}" for reason, n in sorted(ctx.drops.items())]
    if ctx.drops:
        log.warning("grounding: %s", "; ".join(out.warnings))
    return out


# Quotes ------------------------------------------------------------------------------------------


def _quotes(ctx: _Ctx, items: list[QuoteV1], offline_quotes: list[Quote]) -> list[Quote]:
    out: list[Quote] = []
    for q in items:
        if not ctx.ids_ok([q.sentence_id]):
            ctx.drop("quotes dropped: cited sentence does not exist", q)
            continue
        if q.kind == "direct" and len(gm.norm_str(q.text).split()) < 2:
            ctx.drop("direct quotes dropped: one word is a term, not a quote", q)
            continue
        span = _direct_span(ctx, q) if q.kind == "direct" else _indirect_span(ctx, q)
        if span is None:
            reason = "not found verbatim in the text" if q.kind == "direct" else "not in its cited sentence"
            ctx.drop(f"{q.kind} quotes dropped: {reason}", q)
            continue
        start, end, kind = span
        if ctx.touches_tainted([sentence_at(ctx.order, start), sentence_at(ctx.order, end - 1), q.sentence_id]):
            log.info("grounding dropped a quote from injected text: %r", q)
            continue
        if kind != q.kind:
            ctx.drop("direct quotes shown as indirect: not inside quotation marks in the text", q)
        sid = sentence_at(ctx.order, start)
        overlapping = next((o for o in offline_quotes if o.start < end and start < o.end), None)
        speaker = _speaker(ctx, q, start, end, overlapping)
        if speaker is None:
            ctx.drop("quotes dropped: speaker not named near the quote", q)
            continue
        if any(o.start < end and start < o.end for o in out):
            continue  # the model listed the same words twice
        cue = overlapping.cue if overlapping is not None and overlapping.cue else _reporting_cue(ctx, start, end)
        out.append(
            Quote(
                speaker=speaker, text=ctx.text[start:end], start=start, end=end, kind=kind,
                sentence_id=sid, cue=cue,
            )
        )
    return sorted(out, key=lambda x: x.start)


def _direct_span(ctx: _Ctx, q: QuoteV1) -> tuple[int, int, str] | None:
    needle = gm.norm_str(q.text).strip("\"' ")
    if not needle:
        return None
    cited = ctx.sentences[q.sentence_id]
    lo, hi = ctx.window(q.sentence_id, 2, 8)  # quotes run on over several sentences
    found = _locate(ctx, needle, lo, hi, cited.start)
    if found is None:
        found = _locate(ctx, needle, *ctx.bounds(), cited.start)
    if found is None:
        return None
    start, end = gm.strip_quote_marks(ctx.text, *found)
    if end <= start or sentence_at(ctx.order, start) not in ctx.allowed:
        return None
    para = ctx.para_of(start)
    inside = gm.inside_quotation(ctx.text, start, end, para[0])
    return start, end, "direct" if inside else "indirect"


def _locate(ctx: _Ctx, needle: str, lo: int, hi: int, near: int) -> tuple[int, int] | None:
    exact = gm.find_exact(ctx.nt, needle, lo, hi)
    if exact:
        return min(exact, key=lambda s: abs(s[0] - near))
    if len(needle) < FUZZY_MIN_CHARS:
        return None
    fuzzy = gm.find_fuzzy(ctx.nt, needle, lo, hi, QUOTE_THRESHOLD)
    return fuzzy[0] if fuzzy else None


def _indirect_span(ctx: _Ctx, q: QuoteV1) -> tuple[int, int, str] | None:
    needle = gm.norm_str(q.text).strip("\"' ")
    if not needle:
        return None
    s = ctx.sentences[q.sentence_id]
    exact = gm.find_exact(ctx.nt, needle, s.start, s.end)
    if exact:
        span: tuple[int, int] | None = exact[0]
    else:
        fuzzy = gm.find_fuzzy(ctx.nt, needle, s.start, s.end, INDIRECT_ALIGN)
        span = fuzzy[0] if fuzzy else None
    if span is None and gm.support(q.text, ctx.text[s.start : s.end]) >= INDIRECT_SUPPORT:
        span = (s.start, s.end)  # a paraphrase of the sentence: show the sentence's own words
    if span is None:
        return None
    start, end = gm.strip_quote_marks(ctx.text, *span)
    return (start, end, "indirect") if end > start else None


_CUE_WORD = re.compile(r"[A-Za-z]+(?:\s+to\b)?")


def _reporting_cue(ctx: _Ctx, start: int, end: int) -> Span | None:
    """The reporting verb ("said", "told", "according to") nearest the quote, in its sentences."""
    try:
        from bot.analysis.offline.attribution import verbs

        forms = {f for f, (_, cls) in verbs().items() if cls == "speech"}
    except Exception:  # the offline lexicon is optional here: a quote without a cue is still a quote
        return None
    sid = sentence_at(ctx.order, start)
    lo = ctx.sentences[sid].start
    if sid - 1 in ctx.sentences and ctx.para_of(ctx.sentences[sid - 1].start) == ctx.para_of(start):
        lo = ctx.sentences[sid - 1].start  # '"…," he said. "…"': the cue sits before the second part
    hi = ctx.sentences[sentence_at(ctx.order, max(start, end - 1))].end
    best: tuple[int, int, int] | None = None
    for m in _CUE_WORD.finditer(ctx.text, lo, hi):
        if start <= m.start() < end or not m.group(0)[0].islower():
            continue
        word = m.group(0).lower()
        if word != "according to":
            word = word.split()[0]
            if word not in forms:
                continue
            m_end = m.start() + len(word)
        else:
            m_end = m.end()
        before = m_end <= start
        distance = start - m_end if before else m.start() - end
        limit = CUE_MAX_BEFORE if before else CUE_MAX_AFTER
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, m.start(), m_end)
    if best is None:
        return None
    return Span(text=ctx.text[best[1] : best[2]], start=best[1], end=best[2])


def _speaker(ctx: _Ctx, q: QuoteV1, start: int, end: int, overlapping: Quote | None) -> Speaker | None:
    name = gm.sanitize(q.speaker)
    sid = sentence_at(ctx.order, start)
    p_start = ctx.para_of(start)[0]
    prev_para = max((p for p in ctx.paras if p[1] <= p_start), default=(p_start, p_start))
    lo = min(prev_para[0], ctx.window(sid, 3, 0)[0])
    hi = max(ctx.para_of(max(start, end - 1))[1], ctx.window(sentence_at(ctx.order, end - 1), 0, 1)[1])
    if _named(ctx, name, lo, hi, q.speaker_kind):
        title = gm.sanitize(q.speaker_title or "") or None
        if title and not gm.find_exact(ctx.nt, gm.norm_str(title)):
            title = None  # a title the text never gives is the model's invention
        return Speaker(name=name, title=title, kind=q.speaker_kind)
    if overlapping is not None:
        log.info("grounding: speaker %r not near the quote; using the offline speaker", q.speaker)
        return overlapping.speaker
    return None


def _named(ctx: _Ctx, name: str, lo: int, hi: int, kind: str) -> bool:
    """`name` occurs in the text, and it (or a person's surname) occurs within [lo, hi)."""
    candidates = _name_forms(name)
    if not candidates:
        return False
    if any(gm.find_exact(ctx.nt, c, lo, hi) for c in candidates):
        return True
    tokens = candidates[0].split()
    if kind == "person" and len(tokens) >= 2 and any(gm.find_exact(ctx.nt, c) for c in candidates):
        return bool(gm.find_exact(ctx.nt, tokens[-1], lo, hi))
    return False


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


# Flags -------------------------------------------------------------------------------------------


def _flags(ctx: _Ctx, items: list[FlagV1]) -> list[Flag]:
    out: list[Flag] = []
    for f in items:
        if not ctx.ids_ok([f.sentence_id]):
            ctx.drop("flags dropped: cited sentence does not exist", f)
            continue
        if ctx.touches_tainted([f.sentence_id]):
            continue
        s = ctx.sentences[f.sentence_id]
        spans = gm.find_exact(ctx.nt, gm.norm_str(f.cue).strip("\"' .,"), s.start, s.end)
        if not spans:
            ctx.drop("flags dropped: cue not in its cited sentence", f)
            continue
        start, end = spans[0]
        cue = Cue(text=ctx.text[start:end], start=start, end=end, type=f.type)
        out.append(Flag(sentence_id=f.sentence_id, level=_level([cue]), cues=[cue]))
    return out


def _level(cues: list[Cue]) -> str:
    return "unconfirmed" if any(c.type in UNCONFIRMED_TYPES for c in cues) else "hedged"


def merge_flags(first: list[Flag], second: list[Flag]) -> list[Flag]:
    """One flag per sentence with the union of cues; `first` wins where cues overlap."""
    by_sentence: dict[int, list[Cue]] = {}
    for flag in [*first, *second]:
        cues = by_sentence.setdefault(flag.sentence_id, [])
        for c in flag.cues:
            if not any(c.start < o.end and o.start < c.end for o in cues):
                cues.append(c)
    return [
        Flag(sentence_id=sid, level=_level(cues), cues=sorted(cues, key=lambda c: c.start))
        for sid, cues in sorted(by_sentence.items())
    ]


# Claims and summary ------------------------------------------------------------------------------


def _claims(ctx: _Ctx, items: list[ClaimV1], flags: list[Flag]) -> list[Claim]:
    flag_by_sid = {f.sentence_id: f for f in flags}
    out: list[Claim] = []
    for c in items:
        if not ctx.ids_ok(c.sentence_ids):
            ctx.drop("claims dropped: cited sentence does not exist", c)
            continue
        if ctx.touches_tainted(c.sentence_ids):
            continue
        text = gm.sanitize(c.text)
        if not text or gm.support(text, ctx.sentence_text(c.sentence_ids)) < CLAIM_SUPPORT:
            ctx.drop("claims dropped: not supported by the cited sentences", c)
            continue
        source = _claim_source(ctx, c)
        if source is None:
            ctx.drop("claims dropped: source not named in the text", c)
            continue
        cues = [cue for i in c.sentence_ids if i in flag_by_sid for cue in flag_by_sid[i].cues]
        if cues:
            status = _level(cues)
        else:
            status = "asserted" if source.kind == AUTHOR else "attributed"
        out.append(
            Claim(id=f"c{len(out) + 1}", text=text, sentence_ids=sorted(set(c.sentence_ids)), source=source,
                  status=status, cues=cues)
        )
    return out


def _claim_source(ctx: _Ctx, c: ClaimV1) -> Speaker | None:
    name = gm.sanitize(c.source)
    if c.source_kind == AUTHOR or gm.norm_str(name) in (AUTHOR, "the author"):
        return Speaker(name=ctx.author or "the author", kind=AUTHOR)
    if _named(ctx, name, 0, len(ctx.text), c.source_kind):
        return Speaker(name=name, kind=c.source_kind)
    return None


def _summary(ctx: _Ctx, answer: AnswerV1) -> list[SummaryItem]:
    out: list[SummaryItem] = []
    for item in answer.summary:
        if not ctx.ids_ok(item.sentence_ids):
            ctx.drop("summary lines dropped: cited sentence does not exist", item)
            continue
        if ctx.touches_tainted(item.sentence_ids):
            continue
        text = gm.sanitize(item.text)
        if not text or gm.support(text, ctx.sentence_text(item.sentence_ids)) < SUMMARY_SUPPORT:
            ctx.drop("summary lines dropped: not supported by the cited sentences", item)
            continue
        out.append(SummaryItem(text=text, sentence_ids=sorted(set(item.sentence_ids))))
    return out
