"""Time PDF text extraction (`read_pdf`: pypdf + reflow) on a generated PDF: pages/s, ms per page, and the
whole road to an Analysis (extraction + offline engine) at the page cap.

Run by hand:  .venv/bin/python bench/bench_pdf.py [--pages 50] [--rounds 5] [FILE.pdf ...]
Not a test: numbers depend on the machine. The generated PDF (tests/fakes/pdfs.py) uses a standard font
with a simple encoding; real PDFs with embedded subset fonts and ToUnicode maps are slower per page, so
pass a few of your own to see those.
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

from bot.analysis.offline import analyze  # noqa: E402
from bot.fetch.pdf import article_from_pdf, read_pdf  # noqa: E402
from tests.fakes.article_server import EXAMPLE  # noqa: E402
from tests.fakes.pdfs import LINES_PER_PAGE, text_pdf, wrap  # noqa: E402


def generated(pages: int) -> bytes:
    """A PDF of exactly `pages` full pages: the example article repeated."""
    lines = wrap(EXAMPLE.read_text())
    need = pages * LINES_PER_PAGE
    lines = (lines + [""]) * (need // (len(lines) + 1) + 1)
    return text_pdf(pages=[lines[i * LINES_PER_PAGE:(i + 1) * LINES_PER_PAGE] for i in range(pages)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    docs = [(Path(f).name, Path(f).read_bytes()) for f in args.files] or [
        (f"generated {args.pages} pages", generated(args.pages))]
    for name, body in docs:
        seconds = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            pdf = read_pdf(body, max_pages=10_000)
            seconds.append(time.perf_counter() - started)
        best, median = min(seconds), statistics.median(seconds)
        print(f"{name}: {len(body) / 1e6:.2f} MB, {pdf.pages_read} pages, {len(pdf.text):,} chars of text")
        print(f"  read_pdf: median {median * 1000:.0f} ms ({pdf.pages_read / median:.0f} pages/s, "
              f"{median * 1000 / pdf.pages_read:.1f} ms/page); best {best * 1000:.0f} ms")
        started = time.perf_counter()
        article = article_from_pdf(body)  # at the default page cap
        extracted = time.perf_counter() - started
        analysis = analyze(article)
        total = time.perf_counter() - started
        print(f"  to an Analysis at the default cap: {total:.2f} s (extraction {extracted:.2f} s), "
              f"{len(analysis.sentences)} sentences, {len(analysis.claims)} claims")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
