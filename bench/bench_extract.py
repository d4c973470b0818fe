"""Time HTML extraction (`extract_article`) on the test fixtures: pages/s, p50/p95 ms, peak RSS.

Run by hand:  .venv/bin/python bench/bench_extract.py [--rounds 50] [FILE.html ...]
Not a test: numbers depend on the machine. The fixture pages are small; a real news page is usually
100-500 KB of HTML, so `--pad` repeats page furniture to approach that size.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.fetch.errors import NoArticleText  # noqa: E402
from bot.fetch.extract import extract_article  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "html"
FURNITURE = (
    '<div class="promo"><ul>' + "".join(f'<li><a href="/section/{i}">Section {i} headline</a></li>' for i in range(40))
    + "</ul></div>"
)


def load_pages(paths: list[str], pad: int) -> list[tuple[str, str]]:
    files = [Path(p) for p in paths] or sorted(FIXTURES.glob("*.html"))
    pages = []
    for path in files:
        html = path.read_text(encoding="utf-8")
        if pad:
            html = html.replace("<footer", FURNITURE * pad + "<footer", 1)
        pages.append((path.name, html))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="HTML files (default: tests/fixtures/html/*.html)")
    parser.add_argument("--rounds", type=int, default=50, help="times each page is extracted")
    parser.add_argument("--pad", type=int, default=0, help="blocks of page furniture added to each page")
    args = parser.parse_args()

    pages = load_pages(args.files, args.pad)
    for name, html in pages:  # warm-up: imports, lxml and trafilatura caches
        try:
            extract_article(html, f"https://bench.example.com/news/{name}")
        except NoArticleText:
            pass

    times: list[float] = []
    started = time.perf_counter()
    for _ in range(args.rounds):
        for name, html in pages:
            t0 = time.perf_counter()
            try:
                extract_article(html, f"https://bench.example.com/news/{name}")
            except NoArticleText:
                pass
            times.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started

    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    sizes = ", ".join(f"{name} {len(html) / 1000:.0f} KB" for name, html in pages)
    # ru_maxrss is in kilobytes on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages: {sizes}")
    print(f"{len(times)} extractions in {elapsed:.2f} s: {len(times) / elapsed:.1f} pages/s, "
          f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
