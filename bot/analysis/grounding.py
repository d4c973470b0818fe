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
- Nothing may cite a paragraph that addresses AI models ("ignore previous instructions"): injected text.
Each dropped item is counted in the warnings and logged. The offline engine's flags are merged in, so
nothing the text marks as unconfirmed is lost when the model misses it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from bot.analysis import grounding_match as gm
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
    out.flags = merge_flags(offline_flags or [], _flags(ctx, answer.flags, offline_flags or []))
    out.claims = _claims(ctx, answer.claims, out.flags, offline_quotes or [])
    out.summary = _summary(ctx, answer)
    out.tainted = set(ctx.tainted)
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
        if ctx.touches_tainted([f.sentence_id]):
            continue
        s = ctx.sentences[f.sentence_id]
        spans = gm.find_exact(ctx.nt, gm.norm_str(f.cue).strip("\"' .,"), s.start, s.end)
        if not spans:
            ctx.drop("flags dropped: cue not in its cited sentence", f)
            continue
        start, end = spans[0]
        if not _doubtful(ctx.text[start:end]) and not any(c.start < end and start < c.end for c in known.get(f.sentence_id, [])):
            ctx.drop("flags dropped: the cue words express no doubt", f)
            continue
        cue = Cue(text=ctx.text[start:end], start=start, end=end, type=f.type)
        out.append(Flag(sentence_id=f.sentence_id, level=_level([cue]), cues=[cue]))
    return out


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
    r"|pin down|to be seen|to be determined|under (?:investigation|review)|being (?:investigated|examined)|investigating|fear\w*|wonder\w*|(?:some|many|critics|experts|observers|analysts)\b.{0,30}?\b(?:say|said|believe|argue|claim|think|suggest|contend)\w*)\b"
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
        text = _supported_prose(ctx, c, c.text, c.sentence_ids, CLAIM_SUPPORT, "claims")
        if text is None:
            continue
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
        if cues:
            status = _level(cues)
        else:
            status = "asserted" if source.kind == AUTHOR else "attributed"
        out.append(
            Claim(id=f"c{len(out) + 1}", text=text, sentence_ids=sorted(set(c.sentence_ids)), source=source,
                  status=status, cues=cues)
        )
    return out


def _supported_prose(
    ctx: Context, item: object, raw: str, sentence_ids: list[int], threshold: float, what: str
) -> str | None:
    """The model's sentence, cleaned, if it cites real sentences (none from an injected paragraph) and
    their words carry it; else None, with the drop counted under `what`."""
    if not ctx.ids_ok(sentence_ids):
        ctx.drop(f"{what} dropped: cited sentence does not exist", item)
        return None
    if ctx.touches_tainted(sentence_ids):
        return None
    text = gm.sanitize(raw)
    if not text or gm.support(text, ctx.sentence_text(sentence_ids)) < threshold:
        ctx.drop(f"{what} dropped: not supported by the cited sentences", item)
        return None
    return text


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
        text = _supported_prose(ctx, item, item.text, item.sentence_ids, SUMMARY_SUPPORT, "summary lines")
        if text is None:
            continue
        if ctx.foreign_names(text, 0, len(ctx.text)):
            ctx.drop("summary lines dropped: they name someone or something the article does not", item)
            continue
        out.append(SummaryItem(text=text, sentence_ids=sorted(set(item.sentence_ids))))
    return out
