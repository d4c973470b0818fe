"""The scores of the offline evaluation, computed on Analyses in memory (for `make eval-llm`).

The metrics and the printed lines follow the project's scoring script for annotated news (quotes: one-to-
one match on character overlap over the longer span >= 0.3, also at 0.8, speakers sharing a name word;
flags: recall over sentences with an epistemic cue, precision over sentences with any uncertainty cue;
claims: the source the Analysis gives each annotated claim; summary: ROUGE-1/2/L F1), so a model's
numbers can be set beside the offline engine's. Documents are dicts as in the data files; analyses are
`Analysis.to_dict()` dicts keyed by document id.
"""

from __future__ import annotations

import re
from collections import Counter

TITLE_WORDS = frozenset({"mr", "mrs", "ms", "dr", "president", "minister", "prime", "senator", "sen", "rep", "gov",
                         "governor", "the", "and", "official", "officials", "said", "chief", "premier", "mayor"})


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _name_tokens(s: str | None) -> set[str]:
    return {t for t in re.findall(r"[a-z\u00c0-\u024f][a-z\u00c0-\u024f'\-]+", (s or "").lower()) if len(t) > 2}


def same_speaker(gold: str | None, pred: str | None) -> bool:
    g, p = _name_tokens(gold) - TITLE_WORDS, _name_tokens(pred) - TITLE_WORDS
    return bool(g and p and g & p)


def match(golds: list[tuple[int, int, dict]], preds: list[tuple[int, int, dict]], thr: float) -> list[tuple[int, int]]:
    """Greedy one-to-one matching on overlap / longer span."""
    pairs = []
    for gi, (g0, g1, _) in enumerate(golds):
        for pi, (p0, p1, _) in enumerate(preds):
            ov = _overlap(g0, g1, p0, p1)
            if ov and ov / max(g1 - g0, p1 - p0, 1) >= thr:
                pairs.append((ov / max(g1 - g0, p1 - p0, 1), gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_quotes(name: str, docs: list[dict], res: dict[str, dict]) -> list[str]:
    tot = {k: [0, 0, 0] for k in ("direct", "indirect", "all")}
    spk_ok = spk_n = strict_tp = 0
    # speakers are scored only where the annotation resolves them to a name ("he" is no name)
    has_names = any(q.get("speaker_mention") for d in docs for q in d.get("quotes", []))
    for d in docs:
        gold_quotes = [q for q in d.get("quotes", []) if q.get("char_start") is not None]
        pq = (res.get(d["id"]) or {}).get("quotes") or []
        for kind in tot:
            golds = [(q["char_start"], q["char_end"], q) for q in gold_quotes if kind == "all" or q["kind"] == kind]
            preds = [(q["start"], q["end"], q) for q in pq if kind == "all" or q["kind"] == kind]
            m = match(golds, preds, 0.3)
            n_pred = len(preds)
            if kind == "direct":  # a direct quote matching a gold quote of another kind is no false positive
                every = [(q["char_start"], q["char_end"], q) for q in gold_quotes]
                n_pred -= len(match(every, preds, 0.3)) - len(m)
                strict_tp += len(match(golds, preds, 0.8))
            tot[kind][0] += len(m)
            tot[kind][1] += n_pred
            tot[kind][2] += len(golds)
            if kind == "all" and has_names:
                for gi, pi in m:
                    spk_n += 1
                    spk_ok += same_speaker(golds[gi][2]["speaker"], (preds[pi][2].get("speaker") or {}).get("name"))
    lines, f1 = [], {}
    for k, (tp, n_pred, n_gold) in tot.items():
        p, r, f1[k] = prf(tp, n_pred, n_gold)
        lines.append(f"quotes {name} {k:8s} P {p:.3f} R {r:.3f} F1 {f1[k]:.3f}  (tp {tp}, pred {n_pred}, gold {n_gold})")
    lines.append(f"quotes {name} direct@0.8 F1 {prf(strict_tp, tot['direct'][1], tot['direct'][2])[2]:.3f}")
    speaker = spk_ok / spk_n if spk_n else 0.0
    if spk_n:
        lines.append(f"quotes {name} speaker accuracy on matched quotes {speaker:.3f} ({spk_ok}/{spk_n})")
    lines.append(f"{name}: direct F1 {f1['direct']:.3f} indirect F1 {f1['indirect']:.3f} speaker {speaker:.3f}")
    return lines


def score_flags(name: str, docs: list[dict], res: dict[str, dict]) -> list[str]:
    core = anyu = pred = tp_core = tp_any = 0
    for d in docs:
        a = res.get(d["id"]) or {}
        sents = {s["id"]: (s["start"], s["end"]) for s in a.get("sentences", [])}
        flagged = [sents[f["sentence_id"]] for f in a.get("flags", []) if f.get("sentence_id") in sents]
        types = {h["char_start"]: set(h.get("cue_types", [])) for h in d.get("hedged", [])}
        for s in d.get("sentences", []):
            g0, g1 = s["char_start"], s["char_end"]
            is_core = s["uncertain"] and "epistemic" in types.get(g0, set())
            hit = any(_overlap(g0, g1, f0, f1) > 0.5 * (g1 - g0) for f0, f1 in flagged)
            core += is_core
            anyu += s["uncertain"]
            pred += hit
            tp_core += hit and is_core
            tp_any += hit and s["uncertain"]
    r = tp_core / core if core else 0.0
    p = tp_any / pred if pred else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return [f"flags {name}: recall on epistemic-cue sentences {r:.3f} ({tp_core}/{core}); precision vs "
            f"any-uncertainty sentences {p:.3f} ({tp_any}/{pred}); all-uncertain gold {anyu}",
            f"{name}: flag F1 {f:.3f} (P {p:.3f} R {r:.3f})"]


def score_claims(name: str, docs: list[dict], res: dict[str, dict]) -> list[str]:
    named_ok = named = author_ok = author = detected = total = 0
    for d in docs:
        a = res.get(d["id"]) or {}
        sents = {s["id"]: (s["start"], s["end"]) for s in a.get("sentences", [])}
        items = []  # (start, end, source name, source kind, what)
        for c in a.get("claims") or []:
            src = c.get("source") or {}
            items += [(*sents[i], src.get("name") or "", src.get("kind") or "", "claim")
                      for i in c.get("sentence_ids") or [] if i in sents]
        for q in a.get("quotes") or []:
            sp = q.get("speaker") or {}
            items.append((q["start"], q["end"], sp.get("name") or "", sp.get("kind") or "", "quote"))
        for g in d.get("claims", []):
            g0, g1 = g["char_start"], g["char_end"]
            over = [it for it in items if _overlap(g0, g1, it[0], it[1]) > 0.3 * min(g1 - g0, it[1] - it[0])]
            total += 1
            detected += any(it[4] == "claim" for it in over)
            if g.get("claimer"):
                named += 1
                named_ok += any(same_speaker(g["claimer"], it[2]) for it in over)
            else:
                author += 1
                author_ok += not [it for it in over if it[3] != "author" and it[2]]
    acc = (named_ok + author_ok) / total if total else 0.0
    return [f"claims {name}: {total} annotated claims in {len(docs)} articles; "
            f"{detected / max(total, 1):.3f} of them among the Analysis claims",
            f"{name}: claimer accuracy {acc:.3f} (named {named_ok / max(named, 1):.3f}, "
            f"journalist {author_ok / max(author, 1):.3f})"]


def _toks(t: str | None) -> list[str]:
    return re.findall(r"\w+", (t or "").lower())


def _rouge_n(c: list[str], r: list[str], n: int) -> float:
    cg = Counter(tuple(c[i : i + n]) for i in range(len(c) - n + 1))
    rg = Counter(tuple(r[i : i + n]) for i in range(len(r) - n + 1))
    hit = sum((cg & rg).values())
    p, q = hit / max(sum(cg.values()), 1), hit / max(sum(rg.values()), 1)
    return 2 * p * q / (p + q) if p + q else 0.0


def _rouge_l(c: list[str], r: list[str]) -> float:
    if not c or not r:
        return 0.0
    prev = [0] * (len(r) + 1)
    for x in c:
        cur = [0]
        for j, y in enumerate(r):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    p, q = prev[-1] / len(c), prev[-1] / len(r)
    return 2 * p * q / (p + q) if p + q else 0.0


def score_summary(name: str, docs: list[dict], res: dict[str, dict]) -> list[str]:
    tot = [0.0, 0.0, 0.0]
    lead = [0.0, 0.0, 0.0]
    for d in docs:
        ref = _toks(" ".join(d["summaries"][:1]))
        cand = _toks(" ".join(b.get("text", "") for b in (res.get(d["id"]) or {}).get("summary") or []))
        l3 = _toks(" ".join([x for x in re.split(r"(?<=[.!?])\s+", d["text"].strip()) if x][:3]))
        for acc, c in ((tot, cand), (lead, l3)):
            acc[0] += _rouge_n(c, ref, 1)
            acc[1] += _rouge_n(c, ref, 2)
            acc[2] += _rouge_l(c, ref)
    n = max(len(docs), 1)
    t = [100 * x / n for x in tot]
    ld = [100 * x / n for x in lead]
    return [f"{name}: summary ROUGE-1/2/L {t[0]:.2f}/{t[1]:.2f}/{t[2]:.2f} (Lead-3 {ld[0]:.2f}/{ld[1]:.2f}/{ld[2]:.2f})"]


SCORERS = {"quotes": score_quotes, "flags": score_flags, "claims": score_claims, "summary": score_summary}


def tasks_of(docs: list[dict]) -> list[str]:
    """The scores a data file's annotations allow (quotes, flags, claims, summary)."""
    first = docs[0] if docs else {}
    keys = {"quotes": "quotes", "hedged": "flags", "claims": "claims", "summaries": "summary"}
    return [task for key, task in keys.items() if key in first]
