"""Benchmark the offline engine on plain text (run by hand: `make bench` or `python bench/bench_engine.py`).

Prints articles/s, p50/p95 ms per article, ms per 1,000 words, `newsbot batch` throughput, and peak RSS.
With --jsonl FILE it uses the "text" of each line (any JSON Lines of articles, such as an annotated corpus)
instead of the bundled example and test fixtures.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analysis.model import Article  # noqa: E402
from bot.analysis.offline import analyze  # noqa: E402


def _texts(jsonl: str | None, limit: int) -> list[str]:
    if jsonl:
        with open(jsonl, encoding="utf-8") as f:
            return [json.loads(line)["text"] for line, _ in zip(f, range(limit), strict=False)]
    paths = [ROOT / "examples" / "article.txt", *sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))]
    return [p.read_text(encoding="utf-8") for p in paths if p.is_file()]


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jsonl")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    texts = _texts(args.jsonl, args.limit)
    words = [len(t.split()) for t in texts]
    analyze(Article(text=texts[0]))  # warm the lexicons and caches
    per_doc, per_kword = [], []
    started = time.perf_counter()
    for _ in range(args.rounds):
        for text, n in zip(texts, words, strict=True):
            t = time.perf_counter()
            analyze(Article(text=text))
            ms = (time.perf_counter() - t) * 1000
            per_doc.append(ms)
            per_kword.append(ms * 1000 / max(n, 1))
    total = time.perf_counter() - started
    print(f"engine: {len(texts)} articles x {args.rounds} rounds, mean {statistics.mean(words):.0f} words")
    print(f"engine: {len(per_doc) / total:.1f} articles/s; per article p50 {_pct(per_doc, 50):.1f} ms, "
          f"p95 {_pct(per_doc, 95):.1f} ms; per 1,000 words p50 {_pct(per_kword, 50):.1f} ms")

    lines = "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts * args.rounds))
    exe = Path(sys.executable).with_name("newsbot")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot"]
    t = time.perf_counter()
    out = subprocess.run([*cmd, "batch", "--engine", "offline"], input=lines, capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    dt = time.perf_counter() - t
    n = len(out.splitlines())
    print(f"batch: {n} articles in {dt:.2f} s (start-up included) = {n / dt:.1f} articles/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: engine process {peak:.0f} MB, batch process {child:.0f} MB")


if __name__ == "__main__":
    main()
