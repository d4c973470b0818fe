"""`make eval-llm`: measure a model, not just the code.

Runs annotated development data through the LLM engine at whatever endpoint OPENAI_BASE_URL /
OPENAI_MODEL name (settings as for `newsbot`, `.env` included) and prints the scores of the offline
evaluation, plus what became of the model's items per kind (kept, dropped by validation or grounding,
replaced by the offline engine's) and tokens per article, so a team can compare models on its own server
before switching.

    python -m bot.analysis.llm_eval [DATA.jsonl] [--split dev] [--limit N] [--concurrency 2]

DATA defaults to ../shared/data/polnear-train-dev.jsonl beside the checkout when it is there.
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

from bot.analysis.llm import KINDS, ItemStats, LLMEngine
from bot.analysis.llm_eval_scores import SCORERS, tasks_of
from bot.analysis.model import Article
from bot.config import Settings, load_settings

# `make` runs from the checkout, beside which the team's shared data folder sits; nothing here needs it.
DEFAULT_DATA = Path("..") / "shared" / "data" / "polnear-train-dev.jsonl"


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
    docs = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            if split and doc.get("split", split) != split:
                continue
            docs.append(doc)
            if limit and len(docs) >= limit:
                break
    return docs


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
            analysis, stats = await engine.analyze_with_stats(Article(text=doc["text"]), id=str(doc["id"]))
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
    for task in tasks_of(docs):
        lines += SCORERS[task](name, docs, result.analyses)
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("data", nargs="?", type=Path, default=None, help=f"annotated JSONL (default {DEFAULT_DATA})")
    ap.add_argument("--split", default="dev", help="documents of this split only, where records have one "
                    "(default dev; 'all' for every document)")
    ap.add_argument("--limit", type=int, default=None, help="at most this many documents")
    ap.add_argument("--concurrency", type=int, default=2, help="articles sent at a time (default 2)")
    args = ap.parse_args(argv)
    data = args.data or DEFAULT_DATA
    if not data.is_file():
        print(f"eval-llm: no data file at {data}; give one: make eval-llm DATA=path/to/file.jsonl", file=sys.stderr)
        return 2
    settings = load_settings()
    if not (settings.openai_api_key or settings.openai_base_url):
        print("eval-llm: set OPENAI_BASE_URL (and OPENAI_MODEL) for your server, or OPENAI_API_KEY for OpenAI",
              file=sys.stderr)
        return 2
    split = None if args.split == "all" else args.split
    docs = load_docs(data, split, args.limit)
    if not docs:
        print(f"eval-llm: no documents in {data} (split {args.split})", file=sys.stderr)
        return 2
    name = data.name.rsplit(".", 1)[0] + (f"-{split}" if split and any("split" in d for d in docs) else "")

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


if __name__ == "__main__":
    sys.exit(main())
