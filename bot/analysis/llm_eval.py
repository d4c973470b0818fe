"""`make eval-llm`: measure a model, not just the code.

Runs annotated data through the LLM engine at whatever endpoint OPENAI_BASE_URL / OPENAI_MODEL name
(settings as for `newsbot`, `.env` included) and prints the scores of the offline evaluation (`make eval`,
the same scorer: bot/eval), plus what became of the model's items per kind (kept, dropped by validation or
grounding, replaced by the offline engine's), how many answers fell back and why, and tokens per article,
so a team can compare models on its own server before switching.

    python -m bot.analysis.llm_eval [DATA] [--split dev] [--limit N] [--concurrency 2]
    python -m bot.analysis.llm_eval --followups [PAIRS]   the follow-up judge (bot/eval/followups_llm.py)

DATA is a JSON Lines corpus (PolNeAR-style quotes, Szeged-style flags or NewsClaims-style claims, told
apart by their fields; the team's development data, never copied into the repo) or a folder of annotated
articles; by default the repo's own eval set, eval/articles. A file of follow-up pairs (records with
"earlier" and "later", like eval/followups/pairs.jsonl, the default with --followups) measures the model's
follow-up judge instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.analysis.llm import KINDS, ItemStats, LLMEngine
from bot.config import Settings, load_settings
from bot.eval import corpora
from bot.eval.__main__ import report as score_report
from bot.eval.followups import PAIRS_FILE, load_pairs
from bot.eval.goldset import ARTICLES_DIR, load_articles
from bot.eval.metrics import Scores, score_document
from bot.fetch.extract import article_from_text

if TYPE_CHECKING:
    from bot.eval.followups_llm import JudgedPairs


@dataclass
class Run:
    """Everything one evaluation run gathered."""

    analyses: dict[str, dict] = field(default_factory=dict)  # document id -> Analysis as a dict
    given: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    replaced: Counter[str] = field(default_factory=Counter)
    fell_back: Counter[str] = field(default_factory=Counter)  # reason -> articles answered offline
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None
    seconds: float = 0.0

    def add(self, doc_id: str, analysis: dict, stats: ItemStats) -> None:
        self.analyses[doc_id] = analysis
        self.given.update(stats.given)
        self.kept.update(stats.kept)
        self.replaced.update(stats.replaced)
        if stats.fell_back:
            self.fell_back[(analysis.get("warnings") or ["?"])[0]] += 1
        usage = analysis.get("usage") or {}
        self.input_tokens += usage.get("input_tokens", 0)
        self.output_tokens += usage.get("output_tokens", 0)
        if usage.get("cost_usd") is not None:
            self.cost = (self.cost or 0.0) + usage["cost_usd"]


def load_docs(path: Path, split: str | None, limit: int | None) -> list[dict]:
    """Gold documents in the evaluation's shape, from a folder of annotated articles or a corpus file."""
    if path.is_dir():
        return load_articles(path)[:limit]
    first = _first_record(path)
    split = split if "split" in first else None  # a file without splits is read whole
    if "quotes" in first:
        return corpora.quote_docs(path, split, limit)
    if "hedged" in first or "sentences" in first:
        return corpora.flag_docs(path, limit)
    if "claims" in first:
        return corpora.claim_docs(path, split, limit)
    raise ValueError(f"{path} annotates no quotes, flags or claims")


async def run(
    docs: list[dict], engine: LLMEngine, concurrency: int = 2, progress: Callable[[int, int], None] | None = None
) -> Run:
    """Every document through the engine, `concurrency` at a time."""
    out = Run()
    gate = asyncio.Semaphore(max(1, concurrency))
    done = 0
    started = time.perf_counter()

    async def one(doc: dict) -> None:
        nonlocal done
        async with gate:
            article = article_from_text(doc["text"])  # as `make eval` reads a gold text
            analysis, stats = await engine.analyze_with_stats(article, id=str(doc["id"]))
        out.add(str(doc["id"]), analysis.to_dict(), stats)
        done += 1
        if progress:
            progress(done, len(docs))

    await asyncio.gather(*(one(d) for d in docs))
    out.seconds = time.perf_counter() - started
    return out


def report(name: str, docs: list[dict], result: Run, settings: Settings) -> list[str]:
    """The printed report: the run, the model's items per kind, tokens, then the evaluation's scores."""
    n = max(len(docs), 1)
    used = len(docs) - sum(result.fell_back.values())
    lines = [
        f"model {settings.openai_model} at {settings.openai_base_url or 'OpenAI'}: {len(docs)} articles of {name} "
        f"in {result.seconds:.1f} s",
        f"answers used: {used} of {len(docs)}; answered offline: {sum(result.fell_back.values())}",
    ]
    lines += [f"  offline {count}x: {reason}" for reason, count in result.fell_back.most_common(5)]
    lines.append(f"{'model items':12s} {'given':>6s} {'kept':>6s} {'dropped':>8s} {'replaced':>9s}")
    for kind in KINDS:
        given, kept = result.given[kind], result.kept[kind]
        lines.append(f"{kind:12s} {given:6d} {kept:6d} {given - kept:8d} {result.replaced[kind]:9d}")
    cost = f", cost ${result.cost:.4f}" if result.cost is not None else ""
    lines.append(f"tokens per article: input {result.input_tokens / n:,.0f}, output {result.output_tokens / n:,.0f} "
                 f"(total {result.input_tokens + result.output_tokens:,}{cost})")
    scores = Scores()
    for doc in docs:
        score_document(scores, doc, result.analyses.get(str(doc["id"]), {}))
    # the offline engine's rule hit counts mean nothing for a model's answers
    lines += [line for line in score_report(scores, None) if not line.startswith("rule hits")]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("data", nargs="?", type=Path, default=ARTICLES_DIR,
                    help="annotated JSONL or folder of annotated articles (default: the eval set, eval/articles)")
    ap.add_argument("--split", default="dev", help="documents of this split only, where records have one "
                    "(default dev; 'all' for every document)")
    ap.add_argument("--limit", type=int, default=None, help="at most this many documents")
    ap.add_argument("--concurrency", type=int, default=2, help="articles sent at a time (default 2)")
    ap.add_argument("--followups", action="store_true", help="measure the follow-up judge on article pairs "
                    "(default data: eval/followups/pairs.jsonl)")
    args = ap.parse_args(argv)
    data = args.data
    if args.followups and data == ARTICLES_DIR:
        data = PAIRS_FILE
    if not data.exists():
        print(f"eval-llm: no data at {data}; give some: make eval-llm DATA=path/to/file.jsonl", file=sys.stderr)
        return 2
    settings = load_settings()
    if not (settings.openai_api_key or settings.openai_base_url):
        print("eval-llm: set OPENAI_BASE_URL (and OPENAI_MODEL) for your server, or OPENAI_API_KEY for OpenAI",
              file=sys.stderr)
        return 2
    if data.is_file() and "later" in _first_record(data):
        return _followups(data, args.limit, settings)
    split = None if args.split == "all" else args.split
    try:
        docs = load_docs(data, split, args.limit)
    except (ValueError, OSError) as exc:
        print(f"eval-llm: {exc}", file=sys.stderr)
        return 2
    if not docs:
        print(f"eval-llm: no documents in {data} (split {args.split})", file=sys.stderr)
        return 2
    name = data.name.rsplit(".", 1)[0] + (f"-{split}" if split and data.is_file() and "split" in _first_record(data) else "")

    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total} articles", end="" if done < total else "\n", file=sys.stderr, flush=True)

    async def go() -> Run:
        engine = LLMEngine(settings)
        try:
            return await run(docs, engine, args.concurrency, progress)
        finally:
            await engine.close()

    result = asyncio.run(go())
    print("\n".join(report(name, docs, result, settings)))
    return 0


def _followups(path: Path, limit: int | None, settings: Settings) -> int:
    from bot.eval.followups_llm import judge_pairs
    from bot.eval.followups_llm import report as judge_report

    pairs = load_pairs(path)[:limit]

    async def go() -> JudgedPairs:
        engine = LLMEngine(settings)
        try:
            return await judge_pairs(pairs, engine)
        finally:
            await engine.close()

    started = time.perf_counter()
    result = asyncio.run(go())
    print(f"model {settings.openai_model} at {settings.openai_base_url or 'OpenAI'}: {len(pairs)} follow-up pairs "
          f"of {path.name} in {time.perf_counter() - started:.1f} s")
    print("\n".join(judge_report(result, len(pairs))))
    return 0


def _first_record(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.loads(next((line for line in f if line.strip()), "{}"))


if __name__ == "__main__":
    sys.exit(main())
