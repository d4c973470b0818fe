"""Other annotated corpora (JSON Lines, the team's development data; never copied into this repo)
read into the gold shape of eval/articles/, so one scorer measures them all.

PolNeAR-style quote files: {id, text, split?, quotes: [{char_start, char_end, kind, speaker}]}.
Szeged-style uncertainty files: {id, text, sentences: [{char_start, char_end, uncertain}],
hedged: [{char_start, cue_types}]}: a sentence with an epistemic cue must be flagged; a flag on any other
uncertain sentence is no false alarm (their notion of uncertainty is wider than newsbot's).
NewsClaims-style claim files: {id, text, split?, claims: [{char_start, char_end, claimer}]} (an empty
claimer is the journalist's own claim).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


def _lines(path: Path, split: str | None, limit: int | None) -> Iterator[dict]:
    n = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if split and doc.get("split") != split:
                continue
            yield doc
            n += 1
            if limit and n >= limit:
                return


def quote_docs(path: Path, split: str | None = None, limit: int | None = None) -> list[dict]:
    out = []
    for d in _lines(path, split, limit):
        quotes = [
            {"start": q["char_start"], "end": q["char_end"], "kind": q["kind"], "speaker": q.get("speaker")}
            for q in d.get("quotes", [])
            if q.get("char_start") is not None  # a gold quote that could not be placed has no offsets
        ]
        # speakers as written ("he") are scored only where the corpus resolved them
        if not any(q.get("speaker_mention") for q in d.get("quotes", [])):
            for q in quotes:
                q["speaker"] = None
        out.append({"id": str(d["id"]), "text": d["text"], "quotes": quotes})
    return out


def flag_docs(path: Path, limit: int | None = None) -> list[dict]:
    out = []
    for d in _lines(path, None, limit):
        types = {h["char_start"]: set(h.get("cue_types", [])) for h in d.get("hedged", [])}
        flags = [
            {"start": s["char_start"], "end": s["char_end"], "required": "epistemic" in types.get(s["char_start"], ())}
            for s in d.get("sentences", [])
            if s.get("uncertain")
        ]
        sentences = [{"start": s["char_start"], "end": s["char_end"]} for s in d.get("sentences", [])]
        out.append({"id": str(d["id"]), "text": d["text"], "flags": flags, "sentences": sentences})
    return out


def claim_docs(path: Path, split: str | None = None, limit: int | None = None) -> list[dict]:
    return [
        {"id": str(d["id"]), "text": d["text"], "claims": [
            {"start": c["char_start"], "end": c["char_end"], "claimer": c.get("claimer") or None}
            for c in d.get("claims", []) if c.get("char_start") is not None
        ]}
        for d in _lines(path, split, limit)
    ]
