"""Grounding: every item of a model's answer is checked against the article text before anyone sees it.

- A direct quote must be in the text, verbatim after normalisation or near-verbatim (rapidfuzz >= 97);
  the exact source span replaces the model's words. Verbatim words outside quotation marks are shown as
  an indirect quote. Anything else is dropped.
- An indirect quote must overlap its cited sentence; its text becomes the matching words of the text.
- A flag's cue must occur in its cited sentence; offsets come from the text.
- Every cited sentence id must exist (and have been shown to the model).
- A speaker or source must be named in the text (a quote's speaker near the quote), or be the author.
- Model-written prose (summary, claims) loses Slack mentions and links, must share words with the
  sentences it cites, and may not reverse them (a negation, a doubt or a "confirmed" that is not there:
  `grounding_polarity`); a claim that leaves out the text's doubt is shown with the text's status and cue.
- A flag, claim or quote cited one sentence off is looked for in the sentences either side; a direct
  quote that does not hold (an ellipsis, a slip) gives way to the offline engine's quote over its words.
- Nothing may cite a paragraph that addresses AI models ("ignore previous instructions"): injected text.
Each dropped item is counted in the warnings and logged. The offline engine's flags are merged in, so
nothing the text marks as unconfirmed is lost when the model misses it.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from bot.analysis import grounding_match as gm
from bot.analysis import grounding_polarity as polarity
from bot.analysis.grounding_ctx import Context, named, same_speaker, stated_speaker
from bot.analysis.grounding_quotes import ground_quotes
from bot.analysis.llm_schema import AnswerV1, ClaimV1, FlagV1
from bot.analysis.model import UNCONFIRMED_TYPES, Claim, Cue, Flag, Quote, Sentence, Speaker, SummaryItem

log = logging.getLogger(__name__)

CLAIM_SUPPORT = 0.6  # share of a claim's content words found in its cited sentences
SUMMARY_SUPPORT = 0.5  # summary lines abstract a little more
AUTHOR = "author"
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
    tainted: set[int] = field(default_factory=set)  # sentences of paragraphs addressed to AI models
    kept: Counter[str] = field(default_factory=Counter)  # the model's own items shown, per kind
    replaced: Counter[str] = field(default_factory=Counter)  # model items stood in for by offline ones


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
    ctx = Context(text, sentences, allowed_ids, author)
    out = Grounded(kind=answer.kind)
    out.quotes = ground_quotes(ctx, answer.quotes, offline_quotes or [])
    model_flags = _flags(ctx, answer.flags, offline_flags or [])
    out.flags = merge_flags(offline_flags or [], model_flags)
    out.claims = _claims(ctx, answer.claims, out.flags, offline_quotes or [])
    out.summary = _summary(ctx, answer)
    out.tainted = set(ctx.tainted)
    out.replaced = Counter(ctx.replaced)
    out.kept = Counter({"summary": len(out.summary), "claims": len(out.claims), "flags": len(model_flags),
                        "quotes": len(out.quotes) - ctx.replaced["quotes"]})
    out.warnings = [INJECTION_WARNING] if ctx.tainted else []
    out.warnings += [f"{n} model {reason}" for reason, n in sorted(ctx.drops.items())]
    if ctx.drops:
        log.warning("grounding: %s", "; ".join(out.warnings))
    return out


# Flags -------------------------------------------------------------------------------------------


def _flags(ctx: Context, items: list[FlagV1], offline_flags: list[Flag]) -> list[Flag]:
    known = {f.sentence_id: f.cues for f in offline_flags}
    out: list[Flag] = []
    for f in items:
        if not ctx.ids_ok([f.sentence_id]):
            ctx.drop("flags dropped: cited sentence does not exist", f)
            continue
        found = _cue_near(ctx, f)
        if found is None:
            ctx.drop("flags dropped: cue not in its cited sentence", f)
            continue
        sid, start, end = found
        if ctx.touches_tainted([sid]):
            continue
        if not _doubtful(ctx.text[start:end]) and not any(c.start < end and start < c.end for c in known.get(sid, [])):
            ctx.drop("flags dropped: the cue words express no doubt", f)
            continue
        cue = Cue(text=ctx.text[start:end], start=start, end=end, type=f.type)
        out.append(Flag(sentence_id=sid, level=_level([cue]), cues=[cue]))
    return out


def _cue_near(ctx: Context, f: FlagV1) -> tuple[int, int, int] | None:
    """(sentence id, start, end) of the cue in its cited sentence, else in the one either side."""
    needle = gm.norm_str(f.cue).strip("\"' .,")
    for sid in ctx.neighbours(f.sentence_id):
        s = ctx.sentences[sid]
        spans = gm.find_exact(ctx.nt, needle, s.start, s.end)
        if spans:
            return sid, *spans[0]
    return None


# Words that can make a sentence unconfirmed or hedged (the offline cue lexicons' vocabulary, stemmed and
# generous). A model's cue must contain one, or overlap a cue the offline engine found: "Putin said",
# "2006" or "according to the Kremlin" is attribution or fact, and a flag on it would cast doubt on a
# sentence the article does not doubt (what injected text might ask for).
_DOUBT = re.compile(
    r"(?i)\b(?:un(?:confirm|verif|substantiat|corroborat|prov|clear|known|certain|named|identified|sourced|likely)\w*"
    r"|(?:not|no|never|nor|neither|yet to|unable to|without|lack of|little|nothing|scant)\b.{0,40}?"
    r"\b(?:confirm|verif|corroborat|substantiat|establish|prov|evidence|proof|clear|known|indicat)\w*"
    r"|alleg\w*|report\w*|claim\w*|purport\w*|rumou?r\w*|suppos\w*|reput\w*|putative|so-called|accus\w*|suspect\w*"
    r"|apparent\w*|appear\w*|seem\w*|may|might|could|perhaps|maybe|possib\w*|probab\w*|likely|presumabl\w*"
    r"|conceivabl\w*|potential\w*|suggest\w*|believ\w*|thought to|said to|understood|anonym\w*|sources?|insiders?"
    r"|familiar with|briefed on|knowledge of|speculat\w*|doubt\w*|question\w*|disput\w*|contest\w*|murky|myster\w*"
    r"|pin down|to be seen|to be determined|under (?:investigation|review)|being (?:investigated|examined)|investigating|fear\w*|wonder\w*"
    r"|expect\w*|privately|theor(?:y|ies|ized?)|chance|odds|not (?:been )?(?:tested|ruled out)|rul\w* out"
    r"|not to be (?:named|identified)|(?:no one|nobody)\b.{0,20}?\b(?:sure|knows?|certain)"
    r"|(?:some|many|others|critics|experts|observers|analysts)\b.{0,30}?\b(?:say|said|believe|argue|claim|think"
    r"|suggest|contend|consider|worry|worried|are sure)\w*)\b"
)


def _doubtful(cue: str) -> bool:
    return bool(_DOUBT.search(cue))


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


def _claims(ctx: Context, items: list[ClaimV1], flags: list[Flag], offline_quotes: list[Quote]) -> list[Claim]:
    flag_by_sid = {f.sentence_id: f for f in flags}
    stated: dict[int, list[Speaker]] = {}  # sentence id -> speakers the text names there as saying it
    for q in offline_quotes:
        sp = stated_speaker(ctx, q)
        if sp is not None:
            stated.setdefault(q.sentence_id, []).append(sp)
    out: list[Claim] = []
    for c in items:
        found = _supported_prose(ctx, c, c.text, c.sentence_ids, CLAIM_SUPPORT, "claims")
        if found is None:
            continue
        text, ids = found
        verdict = polarity.check(text, ctx.text, _spans(ctx, ids), doubt_drops=False)
        if verdict.reversed:
            ctx.drop(f"claims dropped: {REVERSED}", c)
            log.info("grounding: claim %r reverses its sentences: %s", text, verdict.reversed)
            continue
        c = c.model_copy(update={"sentence_ids": ids})
        source = _claim_source(ctx, c)
        if source is None:
            ctx.drop("claims dropped: source not named in or near the cited sentences", c)
            continue
        source = _checked_source(ctx, c, source, stated)
        # Names in the claim must be in the cited sentences' paragraphs, or be its (checked) source, who may
        # be named a paragraph earlier ("He said …" → "Patel said …").
        foreign = ctx.foreign_names(text, *ctx.paragraphs_of(c.sentence_ids))
        own = {gm.stem(w) for w in source.name.split()} if source.kind != AUTHOR else set()
        if any(gm.stem(w) not in own for w in foreign):
            ctx.drop("claims dropped: they name someone or something not in the cited sentences' paragraphs", c)
            continue
        cues = [cue for i in c.sentence_ids if i in flag_by_sid for cue in flag_by_sid[i].cues]
        for start, end, kind in verdict.uncertain or []:  # the text's own doubt, which the claim left out
            if not any(x.start < end and start < x.end for x in cues):
                cues.append(Cue(text=ctx.text[start:end], start=start, end=end, type=kind))
        if cues:
            status = _level(cues)
        else:
            status = "asserted" if source.kind == AUTHOR else "attributed"
        out.append(
            Claim(id=f"c{len(out) + 1}", text=text, sentence_ids=sorted(set(c.sentence_ids)), source=source,
                  status=status, cues=cues)
        )
    return out


REVERSED = "they say the opposite of the cited sentences (a negation, doubt or 'confirmed' they do not have)"


def _spans(ctx: Context, ids: list[int]) -> list[tuple[int, int]]:
    return [(ctx.sentences[i].start, ctx.sentences[i].end) for i in ids]


def _supported_prose(
    ctx: Context, item: object, raw: str, sentence_ids: list[int], threshold: float, what: str
) -> tuple[str, list[int]] | None:
    """The model's sentence, cleaned, and the ids it rests on, if it cites real sentences (none from an
    injected paragraph) and their words carry it, or those of the sentences one before or after (a model
    cites one off now and then); else None, with the drop counted under `what`."""
    if not ctx.ids_ok(sentence_ids):
        ctx.drop(f"{what} dropped: cited sentence does not exist", item)
        return None
    if ctx.touches_tainted(sentence_ids):
        return None
    text = gm.sanitize(raw)
    if not text:
        ctx.drop(f"{what} dropped: not supported by the cited sentences", item)
        return None
    for shift in (0, -1, 1):
        ids = [i + shift for i in sentence_ids]
        if shift and (not all(i in ctx.sentences and i in ctx.allowed for i in ids) or ctx.tainted.intersection(ids)):
            continue
        if gm.support(text, ctx.sentence_text(ids)) >= threshold:
            return text, ids
    ctx.drop(f"{what} dropped: not supported by the cited sentences", item)
    return None


def _claim_source(ctx: Context, c: ClaimV1) -> Speaker | None:
    name = gm.sanitize(c.source)
    if c.source_kind == AUTHOR or gm.norm_str(name) in (AUTHOR, "the author"):
        return Speaker(name=ctx.author or "the author", kind=AUTHOR)
    # Named near what it cites (from the previous paragraph to the end of the last cited sentence's), as a
    # quote's speaker is: a name from elsewhere in the article is not who makes this claim.
    shown = named(ctx, name, *ctx.near(c.sentence_ids), c.source_kind)
    return Speaker(name=shown, kind=c.source_kind) if shown else None


def _checked_source(ctx: Context, c: ClaimV1, source: Speaker, stated: dict[int, list[Speaker]]) -> Speaker:
    """When every cited sentence names who says it ("Ukrainian officials have claimed that …") and the
    model's source is none of them, the claim is theirs, not the model's pick (nor the author's)."""
    if not all(i in stated for i in c.sentence_ids):
        return source
    candidates = [sp for i in c.sentence_ids for sp in stated[i]]
    for sp in candidates:
        if source.kind != AUTHOR and same_speaker(source.name, sp.name, persons=source.kind == sp.kind == "person"):
            return source
    ctx.drop("claim sources replaced: the text attributes the claim to someone else", c)
    first = candidates[0]
    return Speaker(name=first.name, title=first.title, kind=first.kind)


def _summary(ctx: Context, answer: AnswerV1) -> list[SummaryItem]:
    out: list[SummaryItem] = []
    for item in answer.summary:
        found = _supported_prose(ctx, item, item.text, item.sentence_ids, SUMMARY_SUPPORT, "summary lines")
        if found is None:
            continue
        text, ids = found
        if ctx.foreign_names(text, 0, len(ctx.text)):
            ctx.drop("summary lines dropped: they name someone or something the article does not", item)
            continue
        # A summary line has no status to show the text's doubt with: leaving the doubt out reverses it.
        verdict = polarity.check(text, ctx.text, _spans(ctx, ids), doubt_drops=True)
        if verdict.reversed:
            ctx.drop(f"summary lines dropped: {REVERSED}", item)
            log.info("grounding: summary line %r reverses its sentences: %s", text, verdict.reversed)
            continue
        out.append(SummaryItem(text=text, sentence_ids=sorted(set(ids))))
    return out
