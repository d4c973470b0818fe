"""`newsbot analyze | batch | digest | serve`: the command line around the pipeline."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot import __version__
from bot.analysis.model import Analysis, Article
from bot.config import ConfigError, Settings, load_settings

ENGINE_CHOICES = ("offline", "openai", "auto")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsbot", description="Who claims what in a news article, and what is unconfirmed.")
    p.add_argument("--version", action="version", version=f"newsbot {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens on stderr")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse one article: a URL, a .txt, .html or .pdf file, or - for stdin")
    a.add_argument("source", help="URL, path to a .txt/.html/.pdf file, or - to read stdin")
    a.add_argument("--json", action="store_true", help="print the Analysis as JSON")
    a.add_argument("--engine", choices=ENGINE_CHOICES, help="default: NEWSBOT_ENGINE, else auto")
    a.add_argument("--no-cache", action="store_true", help="do not read or write the analysis cache")

    b = sub.add_parser("batch", help='JSON Lines on stdin ({"id","text"|"html"|"url"}), one Analysis per line out')
    b.add_argument("--engine", choices=ENGINE_CHOICES, help="default: NEWSBOT_ENGINE, else auto")

    d = sub.add_parser("digest", help="print the digest a channel would get (the same one Slack would show)")
    d.add_argument("--channel", required=True, help="the Slack channel id, e.g. C0123ABC")
    d.add_argument("--db", help="the database (default: NEWSBOT_DB)")
    d.add_argument("--since", help="start of the period: YYYY-MM-DD or an ISO time (default: the channel's "
                                   "last digest, else one day ago)")
    d.add_argument("--until", help="end of the period (default: now)")
    d.add_argument("--team", help="the Slack team id, when the database holds several teams")
    d.add_argument("--json", action="store_true", help="print the digest as JSON")

    s = sub.add_parser("serve", help="run the Slack app (HTTP on PORT, or Socket Mode with SLACK_APP_TOKEN)")
    s.add_argument("--port", type=int, help="default: PORT, else 3000")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from bot.redact import protect, remember

    protect()  # libraries log remote replies at DEBUG; no token may reach the log through them
    try:
        settings = load_settings()
        remember(settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token,
                 settings.openai_api_key)
        if args.command == "analyze":
            return asyncio.run(_analyze(args, settings))
        if args.command == "batch":
            return asyncio.run(_batch(args, settings, sys.stdin, sys.stdout))
        if args.command == "digest":
            from bot.memory.cli import digest_command

            return asyncio.run(digest_command(args, settings, sys.stdout))
        if args.command == "serve":
            from bot.slack.app import serve

            serve(settings, port=args.port)
            return 0
    except ConfigError as e:
        print(f"newsbot: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


# ---- analyze -------------------------------------------------------------------------------------


def article_from_input(source: str, raw: str | bytes | None = None, *, max_pdf_pages: int | None = None) -> Article:
    """An Article from a file path or stdin: a PDF's text layer, HTML extracted, plain text as it is."""
    from bot.fetch.document import article_from_bytes
    from bot.fetch.pdf import DEFAULT_MAX_PAGES

    if raw is None:
        raw = Path(source).read_bytes()
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    name = None if source == "-" else Path(source).name
    return article_from_bytes(raw, name=name, max_pages=max_pdf_pages or DEFAULT_MAX_PAGES)


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def is_address(source: str) -> bool:
    """Whether `analyze` was given a link (`https://…`, `HTTP://…`, `gopher://…`) rather than a file name;
    a file that happens to be called `x://y` still wins."""
    return bool(_SCHEME.match(source)) and not Path(source).exists()


async def _analyze(args: argparse.Namespace, settings: Settings) -> int:
    from bot.analysis.pipeline import Pipeline, resolve_engine_name
    from bot.fetch.errors import FetchError

    engine = resolve_engine_name(args.engine or settings.engine, settings)
    is_url = is_address(args.source)
    if is_url:
        from bot.fetch.safe_http import parse_url

        try:
            parse_url(args.source)  # `gopher://…` is answered as a link I won't read, not as a missing file
        except FetchError as e:
            print(f"newsbot: {e}", file=sys.stderr)
            return 2
    store = None
    # Only model answers are worth caching across runs: the offline engine is fast and deterministic,
    # and caching it would leave a database file behind for nothing.
    if not args.no_cache and engine != "offline":
        from bot.store import Store

        store = await Store.open(settings.db_path, lease_seconds=settings.lease_seconds)
    pipeline = Pipeline(settings, store)
    try:
        try:
            if is_url:
                analysis = await pipeline.analyze_url(args.source, engine=engine)
            else:
                raw = sys.stdin.buffer.read() if args.source == "-" else None
                if raw is None and not Path(args.source).is_file():
                    print(f"newsbot: no such file: {args.source}", file=sys.stderr)
                    return 2
                article = await asyncio.to_thread(article_from_input, args.source, raw,
                                                  max_pdf_pages=settings.pdf_max_pages)
                analysis = await pipeline.analyze_article(article, engine=engine)
        except FetchError as e:
            print(f"newsbot: {e}", file=sys.stderr)
            return 1
    finally:
        if store is not None:
            await store.close()
    if args.json:
        sys.stdout.write(analysis.to_json() + "\n")
    else:
        from bot.report import render

        sys.stdout.write(render(analysis, color=sys.stdout.isatty()))
    return 0


# ---- batch ---------------------------------------------------------------------------------------


def _lines(stream: Iterable[str]) -> Iterator[str]:
    for line in stream:
        if line.strip():
            yield line


async def _batch(args: argparse.Namespace, settings: Settings, stdin, stdout) -> int:
    """One output line per non-blank input line, in order; a bad line gives {"id", "error"} and we go on.

    With the offline engine, documents are analysed a few at a time in worker processes
    (NEWSBOT_WORKER_PROCESSES) and written in input order: each output line is what `newsbot analyze`
    gives for that document alone."""
    from bot.analysis.pipeline import Pipeline, resolve_engine_name
    from bot.cpu_pool import CpuPool

    engine = args.engine or settings.engine
    Pipeline(settings).engine(engine)  # fail early on a bad engine choice, before reading anything
    store = None
    offline = resolve_engine_name(engine, settings) == "offline"
    if not offline:  # as analyze: model answers are cached
        from bot.store import Store

        store = await Store.open(settings.db_path, lease_seconds=settings.lease_seconds)
    cpu = CpuPool(settings.worker_processes)
    pipeline = Pipeline(settings, store, cpu=cpu)
    # Offline: enough documents in flight to keep every worker busy, few enough that memory stays flat.
    # The LLM engine reads one line at a time, so that each answer is cached before the next line (the
    # same document twice costs one model call) and the model sees one request at a time.
    window = 2 * max(1, cpu.processes) if offline else 1
    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit="doc", file=sys.stderr)
    pending: deque[asyncio.Task[str]] = deque()

    def write(line: str) -> None:
        stdout.write(line + "\n")
        stdout.flush()
        if progress is not None:
            progress.update(1)

    try:
        for line in _lines(stdin):
            pending.append(asyncio.ensure_future(_batch_line(pipeline, engine, line)))
            if len(pending) >= window:
                write(await pending.popleft())
        while pending:
            write(await pending.popleft())
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if progress is not None:
            progress.close()
        await cpu.close()
        if store is not None:
            await store.close()
    return 0


async def _batch_line(pipeline, engine: str, line: str) -> str:
    from bot.cpu_pool import WorkerCrashed, run_cpu
    from bot.fetch.errors import FetchError
    from bot.fetch.extract import article_from_text, extract_article

    item_id = None
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise ValueError("each line must be a JSON object")
        item_id = item.get("id")
        item_id = None if item_id is None else str(item_id)
        if isinstance(item.get("text"), str):
            article = article_from_text(item["text"], item.get("url"))
        elif isinstance(item.get("html"), str):
            article = await run_cpu(pipeline.cpu, extract_article, item["html"], item.get("url"))
        elif isinstance(item.get("url"), str):
            analysis: Analysis = await pipeline.analyze_url(item["url"], engine=engine)
            return analysis.model_copy(update={"id": item_id}).to_json()
        else:
            raise ValueError('a line needs "text", "html" or "url"')
        return (await pipeline.analyze_article(article, engine=engine, id=item_id)).to_json()
    except json.JSONDecodeError as e:
        return json.dumps({"id": item_id, "error": f"not JSON: {e.msg} at column {e.colno}"})
    except (FetchError, ValueError, WorkerCrashed) as e:
        return json.dumps({"id": item_id, "error": str(e)})
    except Exception as e:  # the batch goes on whatever one document does
        logging.getLogger(__name__).exception("batch item %s failed", item_id)
        return json.dumps({"id": item_id, "error": f"{type(e).__name__}: {e}"})
