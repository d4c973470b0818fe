"""Matching an Analysis against gold annotations: quotes, flags and claims, scored as the held-out
evaluation scores them.

Quotes match one-to-one, greedily, when their character overlap divided by the longer span is at least
0.3; a predicted direct quote that matches a gold quote of the other kind is no false positive. Speakers
match when they share a name word of three letters or more, titles ignored. A flag hits a gold sentence
when a flagged sentence covers more than half of it. A claim's claimer is found when a claim or quote of
the Analysis overlapping it names someone sharing a name word with the annotated claimer; a journalist's
own claim (no claimer) is right when nothing overlapping it names anyone else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MATCH_THRESHOLD = 0.3
STRICT_THRESHOLD = 0.8

TITLE_WORDS = frozenset(
    {"mr", "mrs", "ms", "dr", "president", "minister", "prime", "senator", "sen", "rep", "gov", "governor",
     "the", "and", "official", "officials", "said", "chief", "premier", "mayor"}
)


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def name_tokens(name: str | None) -> set[str]:
    words = re.findall(r"[a-z\u00c0-\u024f][a-z\u00c0-\u024f'\-]+", (name or "").lower())
    return {w for w in words if len(w) > 2}


def same_speaker(gold: str | None, pred: str | None) -> bool:
    g = name_tokens(gold) - TITLE_WORDS
    p = name_tokens(pred) - TITLE_WORDS
    return bool(g and p and g & p)


def match(golds: list[tuple[int, int]], preds: list[tuple[int, int]], threshold: float) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, pred index), best overlap ratio first."""
    pairs = []
    for gi, (g0, g1) in enumerate(golds):
        for pi, (p0, p1) in enumerate(preds):
            ov = overlap(g0, g1, p0, p1)
            if ov and ov / max(g1 - g0, p1 - p0, 1) >= threshold:
                pairs.append((ov / max(g1 - g0, p1 - p0, 1), gi, pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


@dataclass
class Count:
    """True positives, predictions and gold items; precision, recall and F1 follow."""

    tp: int = 0
    pred: int = 0
    gold: int = 0
    tp_gold: int | None = None  # recall's numerator when it differs from precision's (flags)

    @property
    def p(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        hits = self.tp if self.tp_gold is None else self.tp_gold
        return hits / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass
class Ratio:
    ok: int = 0
    n: int = 0

    @property
    def value(self) -> float:
        return self.ok / self.n if self.n else 0.0


@dataclass
class Scores:
    quotes: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in ("direct", "indirect", "all")})
    direct_strict: Count = field(default_factory=Count)
    speaker: Ratio = field(default_factory=Ratio)
    flags: Count = field(default_factory=Count)
    flag_level: Ratio = field(default_factory=Ratio)
    claims_named: Ratio = field(default_factory=Ratio)
    claims_journalist: Ratio = field(default_factory=Ratio)
    claims_detected: Ratio = field(default_factory=Ratio)
    text_mismatch: list[str] = field(default_factory=list)

    @property
    def claimer(self) -> Ratio:
        return Ratio(self.claims_named.ok + self.claims_journalist.ok, self.claims_named.n + self.claims_journalist.n)

    def metrics(self) -> dict[str, float]:
        """The flat figures the floors are pinned on (a metric with no gold items is left out)."""
        out: dict[str, float] = {}
        for kind, c in self.quotes.items():
            if c.gold:
                out.update({f"quote_{kind}_p": c.p, f"quote_{kind}_r": c.r, f"quote_{kind}_f1": c.f1})
        if self.speaker.n:
            out["speaker_accuracy"] = self.speaker.value
        if self.flags.gold:
            out.update({"flag_p": self.flags.p, "flag_r": self.flags.r, "flag_f1": self.flags.f1})
        if self.claimer.n:
            out["claimer_accuracy"] = self.claimer.value
        return out


def score_quotes(scores: Scores, gold: list[Mapping], analysis: Mapping) -> None:
    """Add one document's quotes. Gold quotes: {start, end, kind, speaker}."""
    pred_all = analysis.get("quotes") or []
    all_gold = [(q["start"], q["end"]) for q in gold]
    for kind in ("direct", "indirect", "all"):
        gq = [q for q in gold if kind == "all" or q["kind"] == kind]
        pq = [q for q in pred_all if kind == "all" or q.get("kind") == kind]
        golds = [(q["start"], q["end"]) for q in gq]
        preds = [(q.get("start", 0), q.get("end", 0)) for q in pq]
        pairs = match(golds, preds, MATCH_THRESHOLD)
        count = scores.quotes[kind]
        count.tp += len(pairs)
        count.gold += len(golds)
        if kind == "direct":
            # a direct quote the engine found that a human marked as the other kind is not invented
            other_kind = len(match(all_gold, preds, MATCH_THRESHOLD)) - len(pairs)
            count.pred += len(preds) - other_kind
            scores.direct_strict.tp += len(match(golds, preds, STRICT_THRESHOLD))
            scores.direct_strict.pred += len(preds) - other_kind
            scores.direct_strict.gold += len(golds)
        else:
            count.pred += len(preds)
        if kind == "all":
            for gi, pi in pairs:
                if gq[gi].get("speaker"):
                    scores.speaker.n += 1
                    scores.speaker.ok += same_speaker(gq[gi]["speaker"], (pq[pi].get("speaker") or {}).get("name"))


def flagged_spans(analysis: Mapping) -> list[tuple[int, int, str]]:
    sents = {s["id"]: (s["start"], s["end"]) for s in analysis.get("sentences") or []}
    seen: dict[tuple[int, int], str] = {}
    for f in analysis.get("flags") or []:
        if f.get("sentence_id") in sents:
            seen.setdefault(sents[f["sentence_id"]], f.get("level", ""))
    return [(s, e, level) for (s, e), level in seen.items()]


def covers(g0: int, g1: int, f0: int, f1: int) -> bool:
    return overlap(g0, g1, f0, f1) > 0.5 * (g1 - g0)


def score_flags(scores: Scores, gold: list[Mapping], analysis: Mapping, sentences: list[Mapping] | None = None) -> None:
    """Add one document's flags. Gold flags: {start, end, level, required?}: recall counts the required
    ones (all, by default); a flag on any gold sentence, required or merely acceptable, is no false alarm.
    When the corpus lists every sentence ({start, end}), precision counts those sentences a flag covers,
    as the held-out evaluation does; otherwise it counts the engine's flagged sentences."""
    flagged = flagged_spans(analysis)
    required = [g for g in gold if g.get("required", True)]
    scores.flags.gold += len(required)
    scores.flags.tp_gold = scores.flags.tp_gold or 0
    for g in required:
        hits = [lv for f0, f1, lv in flagged if covers(g["start"], g["end"], f0, f1)]
        scores.flags.tp_gold += bool(hits)
        if hits and g.get("level"):
            scores.flag_level.n += 1
            scores.flag_level.ok += hits[0] == g["level"]
    if sentences is None:
        scores.flags.pred += len(flagged)
        scores.flags.tp += sum(any(covers(g["start"], g["end"], f0, f1) for g in gold) for f0, f1, _ in flagged)
        return
    uncertain = {(g["start"], g["end"]) for g in gold}
    for s in sentences:
        if any(covers(s["start"], s["end"], f0, f1) for f0, f1, _ in flagged):
            scores.flags.pred += 1
            scores.flags.tp += (s["start"], s["end"]) in uncertain


def _claim_items(analysis: Mapping) -> Iterable[tuple[int, int, str, str, str]]:
    sents = {s["id"]: (s["start"], s["end"]) for s in analysis.get("sentences") or []}
    for c in analysis.get("claims") or []:
        src = c.get("source") or {}
        for sid in c.get("sentence_ids") or []:
            if sid in sents:
                yield (*sents[sid], src.get("name") or "", src.get("kind") or "", "claim")
    for q in analysis.get("quotes") or []:
        sp = q.get("speaker") or {}
        yield q.get("start", 0), q.get("end", 0), sp.get("name") or "", sp.get("kind") or "", "quote"


def score_claims(scores: Scores, gold: list[Mapping], analysis: Mapping) -> None:
    """Add one document's claims. Gold claims: {start, end, claimer (None: the journalist's own)}."""
    items = list(_claim_items(analysis))
    for g in gold:
        g0, g1 = g["start"], g["end"]
        over = [it for it in items if overlap(g0, g1, it[0], it[1]) > 0.3 * min(g1 - g0, it[1] - it[0])]
        scores.claims_detected.n += 1
        scores.claims_detected.ok += any(it[4] == "claim" for it in over)
        if g.get("claimer"):
            scores.claims_named.n += 1
            scores.claims_named.ok += any(same_speaker(g["claimer"], it[2]) for it in over)
        else:
            scores.claims_journalist.n += 1
            scores.claims_journalist.ok += not [it for it in over if it[3] != "author" and it[2]]


def score_document(scores: Scores, gold: Mapping, analysis: Mapping) -> None:
    """Add one gold document ({id, text, quotes?, flags?, claims?}) and the engine's Analysis of it."""
    if analysis.get("text") != gold["text"]:
        scores.text_mismatch.append(str(gold.get("id")))
    if "quotes" in gold:
        score_quotes(scores, gold["quotes"], analysis)
    if "flags" in gold:
        score_flags(scores, gold["flags"], analysis, gold.get("sentences"))
    if "claims" in gold:
        score_claims(scores, gold["claims"], analysis)
