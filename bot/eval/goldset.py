"""The annotated articles of eval/articles/: loading them, and checking that every annotation points at
the characters it names (an offset that drifted from its text would silently score the wrong span)."""

from __future__ import annotations

import json
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parents[2] / "eval"
ARTICLES_DIR = EVAL_DIR / "articles"
FLOORS_FILE = EVAL_DIR / "floors.json"

QUOTE_KINDS = {"direct", "indirect"}
FLAG_LEVELS = {"unconfirmed", "hedged"}


def load_articles(directory: Path = ARTICLES_DIR) -> list[dict]:
    """Every eval/articles/*.json, in file-name order."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))]


def _span_problems(where: str, text: str, item: dict, field: str = "text") -> list[str]:
    start, end = item.get("start"), item.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return [f"{where}: bad offsets {start}..{end}"]
    if text[start:end] != item.get(field):
        return [f"{where}: text[{start}:{end}] is {text[start:end]!r}, not {item.get(field)!r}"]
    return []


def problems(article: dict) -> list[str]:
    """What is wrong with one annotated article (an empty list when nothing is)."""
    aid = article.get("id", "?")
    text = article.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"{aid}: no text"]
    out: list[str] = []
    for i, q in enumerate(article.get("quotes", [])):
        where = f"{aid} quote {i}"
        out += _span_problems(where, text, q)
        if q.get("kind") not in QUOTE_KINDS:
            out.append(f"{where}: kind {q.get('kind')!r}")
        if not q.get("speaker"):
            out.append(f"{where}: no speaker")
    for i, f in enumerate(article.get("flags", [])):
        where = f"{aid} flag {i}"
        out += _span_problems(where, text, f, "sentence")
        if f.get("level") not in FLAG_LEVELS:
            out.append(f"{where}: level {f.get('level')!r}")
        if not f.get("cues"):
            out.append(f"{where}: no cue words")
        for j, cue in enumerate(f.get("cues", [])):
            out += _span_problems(f"{where} cue {j}", text, cue)
            if not f["start"] <= cue.get("start", -1) < cue.get("end", -1) <= f["end"]:
                out.append(f"{where} cue {j}: outside its sentence")
    for i, c in enumerate(article.get("claims", [])):
        out += _span_problems(f"{aid} claim {i}", text, c)
        if "claimer" not in c:
            out.append(f"{aid} claim {i}: no claimer field (null means the journalist's own)")
    return out
