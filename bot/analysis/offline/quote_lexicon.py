"""Load the plain-text lexicons beside this code (one entry a line, `#` comments, `[section]` headers)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_DIR = Path(__file__).parent / "lexicons"


@cache
def sections(name: str) -> dict[str, tuple[str, ...]]:
    """Entries of lexicons/<name>.txt by section; entries before any header go under "default"."""
    out: dict[str, list[str]] = {}
    current = "default"
    for raw in (_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            continue
        out.setdefault(current, []).append(line)
    return {k: tuple(v) for k, v in out.items()}


def words(name: str, section: str) -> frozenset[str]:
    """The lower-cased entries of one section, as a set."""
    return frozenset(e.lower() for e in sections(name).get(section, ()))
