"""Grounding of the model's quotes: found in the text (direct: verbatim or near-verbatim; indirect: in
its sentence or the one either side), the speaker named near them, the reporting verb as cue. Offsets
come from the text. A direct quote that does not hold (shortened with an ellipsis, a slip past the
near-verbatim threshold) gives way to the offline engine's quote over the same words, if there is one."""

from __future__ import annotations

import logging
import re

from bot.analysis import grounding_match as gm
from bot.analysis.grounding_ctx import Context, named, same_speaker, stated_speaker
from bot.analysis.llm_schema import QuoteV1
from bot.analysis.model import Quote, Span, Speaker
from bot.analysis.sentences import sentence_at

log = logging.getLogger("bot.analysis.grounding")

QUOTE_THRESHOLD = 97.0  # near-verbatim: a couple of characters in a hundred
INDIRECT_ALIGN = 80.0  # an indirect quote's words aligned inside its sentence
INDIRECT_SUPPORT = 0.5  # else: share of its content words found in the sentence
CUE_MAX_BEFORE = 60  # characters from a reporting verb to the quote it introduces ("X said that …")
CUE_MAX_AFTER = 30  # characters from a quote to its trailing attribution ('"…," said X')
FUZZY_MIN_CHARS = 20  # shorter quotes must match exactly; a short fuzzy match is a different phrase


def ground_quotes(ctx: Context, items: list[QuoteV1], offline_quotes: list[Quote]) -> list[Quote]:
    out: list[Quote] = []
    for q in items:
        if not ctx.ids_ok([q.sentence_id]):
            ctx.drop("quotes dropped: cited sentence does not exist", q)
            continue
        if q.kind == "direct" and len(gm.norm_str(q.text).split()) < 2:
            ctx.drop("direct quotes dropped: one word is a term, not a quote", q)
            continue
        span = _direct_span(ctx, q) if q.kind == "direct" else _indirect_span(ctx, q)
        if span is None or span is _COUNTED:
            stand_in = _offline_stand_in(ctx, q, offline_quotes) if q.kind == "direct" else None
            if stand_in is not None and not any(o.start < stand_in.end and stand_in.start < o.end for o in out):
                ctx.replaced["quotes"] += 1
                ctx.drops["direct quotes replaced by the offline engine's quote over the same words: "
                          "the model's was not verbatim"] += 1
                out.append(stand_in)
                continue
        if span is _COUNTED:
            continue
        if span is None:
            reason = "not found verbatim in the text" if q.kind == "direct" else "not in its cited sentence"
            ctx.drop(f"{q.kind} quotes dropped: {reason}", q)
            continue
        start, end, kind = span
        if ctx.touches_tainted([sentence_at(ctx.order, start), sentence_at(ctx.order, end - 1), q.sentence_id]):
            log.info("grounding dropped a quote from injected text: %r", q)
            continue
        sid = sentence_at(ctx.order, start)
        # The offline quotes over the same words, innermost first: "Putin said Russia was trying …" inside
        # "…, according to the Kremlin" is Putin's, and so is its cue.
        overlaps = sorted((o for o in offline_quotes if o.start < end and start < o.end), key=lambda o: o.end - o.start)
        overlapping = overlaps[0] if overlaps else None
        cue = overlapping.cue if overlapping is not None and overlapping.cue else _reporting_cue(ctx, start, end)
        if kind == "indirect" and overlapping is None and cue is None and not _reported_in(ctx, start, end):
            # Words outside quotation marks that nobody is reported as saying are the article's own: giving
            # them to someone named nearby ("Congress must approve …" as Zelensky's) changes who says what.
            ctx.drop("indirect quotes dropped: no one is reported as saying them (no said, told, according to)", q)
            continue
        if kind != q.kind:
            ctx.drop("direct quotes shown as indirect: not inside quotation marks in the text", q)
        speaker = _speaker(ctx, q, start, end, overlaps)
        if speaker is None:
            ctx.drop("quotes dropped: speaker not named near the quote", q)
            continue
        if any(o.start < end and start < o.end for o in out):
            continue  # the model listed the same words twice
        out.append(
            Quote(
                speaker=speaker, text=ctx.text[start:end], start=start, end=end, kind=kind,
                sentence_id=sid, cue=cue,
            )
        )
    return sorted(out, key=lambda x: x.start)


_COUNTED = (-1, -1, "dropped")  # a drop already counted with its own reason


def _direct_span(ctx: Context, q: QuoteV1) -> tuple[int, int, str] | None:
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
    if gm.crosses_quotation(ctx.text, start, end):
        # two quotations and the narrative between them ('…," he said. "…') are not one quote
        ctx.drop("direct quotes dropped: they run across the narrative between two quotations", q)
        return _COUNTED
    para = ctx.para_of(start)
    inside = gm.inside_quotation(ctx.text, start, end, para[0])
    return start, end, "direct" if inside else "indirect"


def _locate(ctx: Context, needle: str, lo: int, hi: int, near: int) -> tuple[int, int] | None:
    exact = gm.find_exact(ctx.nt, needle, lo, hi)
    if exact:
        return min(exact, key=lambda s: abs(s[0] - near))
    if len(needle) < FUZZY_MIN_CHARS:
        return None
    fuzzy = gm.find_fuzzy(ctx.nt, needle, lo, hi, QUOTE_THRESHOLD)
    return fuzzy[0] if fuzzy else None


def _indirect_span(ctx: Context, q: QuoteV1) -> tuple[int, int, str] | None:
    """The reported words in the cited sentence, else in the one before or after it (cited one off)."""
    needle = gm.norm_str(q.text).strip("\"' ")
    if not needle:
        return None
    for sid in ctx.neighbours(q.sentence_id):
        s = ctx.sentences[sid]
        exact = gm.find_exact(ctx.nt, needle, s.start, s.end)
        if exact:
            span: tuple[int, int] | None = exact[0]
        else:
            fuzzy = gm.find_fuzzy(ctx.nt, needle, s.start, s.end, INDIRECT_ALIGN)
            span = fuzzy[0] if fuzzy else None
        if span is None and gm.support(q.text, ctx.text[s.start : s.end]) >= INDIRECT_SUPPORT:
            span = (s.start, s.end)  # a paraphrase of the sentence: show the sentence's own words
        if span is not None:
            start, end = gm.strip_quote_marks(ctx.text, *span)
            return (start, end, "indirect") if end > start else None
    return None


_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[…\]|\.\s*\.\s*\.|…)\s*")
STAND_IN_FUZZY = 85.0  # a model quote this close to the text locates the offline quote there
STAND_IN_MIN_WORDS = 3  # a fragment shorter than this locates nothing


def _offline_stand_in(ctx: Context, q: QuoteV1, offline_quotes: list[Quote]) -> Quote | None:
    """The offline engine's direct quote over the words of a model quote that did not hold: the parts
    of the model's text between ellipses found verbatim, or the whole of it found near-verbatim."""
    lo, hi = ctx.window(q.sentence_id, 2, 8)
    located: list[tuple[int, int]] = []
    parts = [gm.norm_str(p).strip("\"' ,.") for p in _ELLIPSIS.split(q.text)]
    for part in parts:
        if len(part.split()) >= STAND_IN_MIN_WORDS:
            located += gm.find_exact(ctx.nt, part, lo, hi)[:1]
    if not located and len(parts) == 1 and len(parts[0]) >= FUZZY_MIN_CHARS:
        fuzzy = gm.find_fuzzy(ctx.nt, parts[0], lo, hi, STAND_IN_FUZZY)
        located += [fuzzy[0]] if fuzzy else []
    best: tuple[int, Quote] | None = None
    for o in offline_quotes:
        if o.kind != "direct" or o.sentence_id not in ctx.allowed or o.sentence_id in ctx.tainted:
            continue
        overlap = sum(max(0, min(e, o.end) - max(s, o.start)) for s, e in located)
        if overlap and (best is None or overlap > best[0]):
            best = (overlap, o)
    return best[1] if best else None


_CUE_WORD = re.compile(r"[A-Za-z]+(?:\s+to\b)?")


def _speech_forms() -> set[str]:
    try:
        from bot.analysis.offline.cues import verbs

        return {f for f, (_, cls) in verbs().items() if cls == "speech"}
    except Exception:  # the offline lexicon is optional here
        return set()


def _reported_in(ctx: Context, start: int, end: int) -> bool:
    """Whether the sentences of [start, end) report someone's words: a speech verb or "according to"
    anywhere in them ("The company denied that account." is the company's statement)."""
    lo = ctx.sentences[sentence_at(ctx.order, start)].start
    hi = ctx.sentences[sentence_at(ctx.order, max(start, end - 1))].end
    forms = _speech_forms()
    for m in _CUE_WORD.finditer(ctx.text, lo, hi):
        word = m.group(0).lower()
        if word == "according to" or (word.split()[0] in forms and m.group(0)[0].islower()):
            return True
    return False


def _reporting_cue(ctx: Context, start: int, end: int) -> Span | None:
    """The reporting verb ("said", "told", "according to") nearest the quote, in its sentences."""
    try:
        from bot.analysis.offline.cues import verbs

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


def _as_written(ctx: Context, span: tuple[int, int]) -> str:
    return " ".join(ctx.text[span[0] : span[1]].split())


def _speaker(ctx: Context, q: QuoteV1, start: int, end: int, overlaps: list[Quote]) -> Speaker | None:
    name = gm.sanitize(q.speaker)
    sid = sentence_at(ctx.order, start)
    p_start = ctx.para_of(start)[0]
    prev_para = max((p for p in ctx.paras if p[1] <= p_start), default=(p_start, p_start))
    lo = min(prev_para[0], ctx.window(sid, 3, 0)[0])
    # Up to the end of the quote's paragraph, where a trailing attribution ('…," Putin said.') sits; not
    # into the next paragraph, whose speaker is someone else's business, unless the quotation runs on
    # there (the next paragraph opens with a quotation mark: the multi-paragraph quote convention).
    para = ctx.para_of(max(start, end - 1))
    hi = para[1]
    for _ in range(3):
        nxt = next((p for p in ctx.paras if p[0] >= hi), None)
        still_open = gm.inside_quotation(ctx.text, len(ctx.text[:hi].rstrip()), hi, para[0])
        if nxt is None or not still_open or ctx.text[nxt[0] : nxt[1]].lstrip()[:1] not in gm.OPENING_QUOTES:
            break
        para, hi = nxt, nxt[1]
    shown = named(ctx, name, lo, hi, q.speaker_kind)
    stated = [sp for sp in (stated_speaker(ctx, o) for o in overlaps) if sp is not None]
    if shown and stated and not any(
        same_speaker(shown, sp.name, persons=q.speaker_kind == sp.kind == "person") for sp in stated
    ):
        # The text names who says these words in their own sentence, and it is someone else.
        ctx.drop("quote speakers replaced: the text attributes the words to someone else", q)
        return stated[0]
    if shown:
        title = gm.sanitize(q.speaker_title or "")
        spans = gm.find_exact(ctx.nt, gm.norm_str(title)) if title else []
        # a title the text never gives is the model's invention; one it gives is shown as written
        return Speaker(name=shown, title=_as_written(ctx, spans[0]) if spans else None, kind=q.speaker_kind)
    overlapping = overlaps[0] if overlaps else None
    if overlapping is not None:
        log.info("grounding: speaker %r not near the quote; using the offline speaker", q.speaker)
        return overlapping.speaker
    return None
