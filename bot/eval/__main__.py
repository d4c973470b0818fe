"""`python -m bot.eval` (or `make eval`): score the offline engine on the repo's annotated set, or on
another annotated corpus given by path.

  python -m bot.eval                          the eval set in eval/articles/, checked against eval/floors.json
  python -m bot.eval --errors                 also list, per article, the quotes and flags missed or invented
  python -m bot.eval --pin 0.03               re-pin the floors 0.03 under today's scores
  python -m bot.eval --quotes FILE --split dev  a PolNeAR-style JSONL (quotes, no resolved speakers)
  python -m bot.eval --flags FILE             a Szeged-style JSONL (uncertain sentences)
  python -m bot.eval --claims FILE            a NewsClaims-style JSONL (claims and claimers)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot.eval import corpora
from bot.eval.floors import below, load_floors, pin
from bot.eval.followups import PAIRS_FILE, load_pairs, score_pairs
from bot.eval.followups import report as followups_report
from bot.eval.goldset import ARTICLES_DIR, FLOORS_FILE, load_articles, problems
from bot.eval.metrics import MATCH_THRESHOLD, Scores, covers, flagged_spans, match, same_speaker
from bot.eval.run import score


def report(scores: Scores, hits: dict[str, int] | None) -> list[str]:
    lines = []
    for kind, c in scores.quotes.items():
        if c.gold:
            lines.append(f"quotes {kind:8s} P {c.p:.3f} R {c.r:.3f} F1 {c.f1:.3f}  (tp {c.tp}, pred {c.pred}, gold {c.gold})")
    if scores.direct_strict.gold:
        lines.append(f"quotes direct@0.8 F1 {scores.direct_strict.f1:.3f}")
    if scores.speaker.n:
        lines.append(f"speaker accuracy on matched quotes {scores.speaker.value:.3f} ({scores.speaker.ok}/{scores.speaker.n})")
    f = scores.flags
    if f.gold:
        lines.append(f"flags P {f.p:.3f} R {f.r:.3f} F1 {f.f1:.3f}  (flagged sentences {f.pred}, right {f.tp}; "
                     f"gold {f.gold}, found {f.tp_gold})")
        if scores.flag_level.n:
            lines.append(f"flag level agrees on found flags {scores.flag_level.value:.3f} "
                         f"({scores.flag_level.ok}/{scores.flag_level.n})")
    if scores.claimer.n:
        n, j, d = scores.claims_named, scores.claims_journalist, scores.claims_detected
        lines.append(f"claims: {d.n} annotated, {d.value:.3f} among the Analysis claims")
        lines.append(f"claimer accuracy {scores.claimer.value:.3f} (named {n.value:.3f} {n.ok}/{n.n}, "
                     f"journalist's own {j.value:.3f} {j.ok}/{j.n})")
    if scores.text_mismatch:
        lines.append(f"WARNING: {len(scores.text_mismatch)} documents came back with another text (offsets unusable): "
                     + ", ".join(scores.text_mismatch[:5]))
    if hits is None:
        lines.append("rule hits: the engine has no rule registry (bot.analysis.offline.rules) yet")
    else:
        lines.append(f"rule hits ({len(hits)} rules, {sum(1 for v in hits.values() if not v)} with none):")
        lines += [f"  {n:6d}  {name}" for name, n in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))]
    return lines


def errors(doc: dict, analysis: dict) -> list[str]:
    """What the engine missed or invented in one article, for someone fixing a rule."""
    text, out = doc["text"], []
    gold = doc.get("quotes", [])
    pred = analysis.get("quotes") or []
    pairs = match([(q["start"], q["end"]) for q in gold], [(q["start"], q["end"]) for q in pred], MATCH_THRESHOLD)
    got_g, got_p = {g for g, _ in pairs}, {p for _, p in pairs}
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        if g.get("speaker") and not same_speaker(g["speaker"], p["speaker"]["name"]):
            out.append(f"  speaker {p['speaker']['name']!r} should be {g['speaker']!r}: {_clip(text[g['start']:g['end']])}")
    out += [f"  missed {g['kind']} quote ({g.get('speaker')}): {_clip(text[g['start']:g['end']])}"
            for i, g in enumerate(gold) if i not in got_g]
    out += [f"  invented {p['kind']} quote ({p['speaker']['name']}): {_clip(text[p['start']:p['end']])}"
            for i, p in enumerate(pred) if i not in got_p]
    flagged = flagged_spans(analysis)
    golds = doc.get("flags", [])
    for g in golds:
        if not any(covers(g["start"], g["end"], f0, f1) for f0, f1, _ in flagged):
            cues = ", ".join(c["text"] for c in g.get("cues", []))
            out.append(f"  missed flag ({g.get('level', 'uncertain')}: {cues}): {_clip(text[g['start']:g['end']])}")
    for f0, f1, level in flagged:
        if not any(covers(g["start"], g["end"], f0, f1) for g in golds):
            out.append(f"  false flag ({level}): {_clip(text[f0:f1])}")
    return out


def _clip(s: str, n: int = 90) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.eval", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=ARTICLES_DIR, help="folder of annotated articles (*.json)")
    ap.add_argument("--quotes", type=Path, metavar="FILE", help="score quotes on a PolNeAR-style JSONL instead")
    ap.add_argument("--flags", type=Path, metavar="FILE", help="score flags on a Szeged-style JSONL instead")
    ap.add_argument("--claims", type=Path, metavar="FILE", help="score claimers on a NewsClaims-style JSONL instead")
    ap.add_argument("--split", help="with --quotes or --claims: documents of this split only (e.g. dev)")
    ap.add_argument("--limit", type=int, help="the first N documents only")
    ap.add_argument("--errors", action="store_true", help="list each article's misses and inventions")
    ap.add_argument("--pin", type=float, metavar="MARGIN", help="write eval/floors.json MARGIN under today's scores")
    a = ap.parse_args(argv)

    corpus = a.quotes or a.flags or a.claims
    if corpus:
        if a.quotes:
            docs = corpora.quote_docs(a.quotes, a.split, a.limit)
        elif a.flags:
            docs = corpora.flag_docs(a.flags, a.limit)
        else:
            docs = corpora.claim_docs(a.claims, a.split, a.limit)
        print(f"{corpus.name}: {len(docs)} documents")
    else:
        docs = load_articles(a.set)[: a.limit]
        if not docs:
            print(f"no annotated articles in {a.set} (the eval set lives in a source checkout)", file=sys.stderr)
            return 2
        bad = [p for d in docs for p in problems(d)]
        if bad:
            print("the annotations do not match their texts:\n  " + "\n  ".join(bad), file=sys.stderr)
            return 1
        print(f"eval set: {len(docs)} articles, {sum(len(d.get('quotes', [])) for d in docs)} quotes "
              f"({sum(q['kind'] == 'direct' for d in docs for q in d.get('quotes', []))} direct), "
              f"{sum(len(d.get('flags', [])) for d in docs)} flags, {sum(len(d.get('claims', [])) for d in docs)} claims")
    started = time.perf_counter()
    scores, hits, analyses = score(docs)
    print("\n".join(report(scores, hits)))
    print(f"({len(docs)} documents in {time.perf_counter() - started:.1f} s)")
    if a.errors:
        for d in docs:
            found = errors(d, analyses[d["id"]])
            if found:
                print(f"\n{d['id']}\n" + "\n".join(found))
    if corpus:
        return 0
    if PAIRS_FILE.exists() and not a.limit:
        pairs = load_pairs()
        followed = score_pairs(pairs)
        print("\n".join(followups_report(followed, len(pairs))))
        if a.errors and followed.errors:
            print("\n".join(["", "follow-up pairs decided wrongly:"] + followed.errors))
    metrics = scores.metrics()
    if a.pin is not None:
        floors = pin(metrics, a.pin)
        print(f"pinned {len(floors)} floors in {FLOORS_FILE}")
        return 0
    if FLOORS_FILE.exists() and a.set == ARTICLES_DIR and not a.limit:
        under = below(metrics, load_floors())
        for k, (v, f) in under.items():
            print(f"BELOW FLOOR: {k} {v:.3f} < {f:.2f}")
        if not under:
            print(f"all {len(load_floors())} floors held ({FLOORS_FILE.name})")
        return 1 if under else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
