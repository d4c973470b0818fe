"""Fill in the character offsets of an annotated article, so that a person annotates with words.

Write eval/articles/NN-name.json with the text and each annotation's words:

    {"id": "...", "genre": "...", "text": "...",
     "quotes": [{"text": "words of the quote, no quote marks", "kind": "direct", "speaker": "Full Name"}],
     "flags":  [{"sentence": "a few words of the sentence", "level": "hedged", "cues": ["may"]}],
     "claims": [{"text": "the claim's words", "claimer": "Full Name"}]}     (claimer null: the journalist's)

then `python -m bot.eval.annotate eval/articles/NN-name.json`: every item gets `start`/`end`, a flag's
`sentence` grows to its whole sentence, and each cue becomes {text, start, end} inside it. Words that occur
twice take the first occurrence after the previous item of the same list (write items in text order).
Running it again changes nothing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "gen", "lt", "col", "jan", "feb", "aug",
                 "sept", "sep", "oct", "nov", "dec", "inc", "corp", "co", "no", "vs", "u.s", "u.k", "jr", "sr"}
_END = re.compile(r"[.!?][\"”’)]*(?=\s)|\n")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentences as a careful reader cuts them: at . ! ? before white space (not after Mr. or U.S.), and at
    line breaks."""
    cuts, start = [], 0
    for m in _END.finditer(text):
        if m.group() != "\n":
            word = re.search(r"([\w.]+)[.!?][\"”’)]*$", text[start:m.end()])
            if word and m.group()[0] == "." and word.group(1).lower() in ABBREVIATIONS:
                continue
            nxt = text[m.end():].lstrip()[:1]
            if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'("):
                continue
        cuts.append((start, m.end() if m.group() != "\n" else m.start()))
        start = m.end()
    cuts.append((start, len(text)))
    out = []
    for s, e in cuts:
        seg = text[s:e]
        s2 = s + len(seg) - len(seg.lstrip())
        e2 = e - (len(seg) - len(seg.rstrip()))
        if e2 > s2:
            out.append((s2, e2))
    return out


def _find(text: str, words: str, after: int, hint: int | None) -> int:
    if hint is not None and text[hint:hint + len(words)] == words:
        return hint
    at = text.find(words, after)
    if at < 0:
        at = text.find(words)
    if at < 0:
        raise ValueError(f"not in the text: {words!r}")
    return at


def fill(article: dict) -> dict:
    text = article["text"]
    for key, field in (("quotes", "text"), ("claims", "text"), ("flags", "sentence")):
        after = 0
        for item in article.get(key, []):
            start = _find(text, item[field], after, item.get("start"))
            end = start + len(item[field])
            if key == "flags":
                start, end = next((s, e) for s, e in sentence_bounds(text) if s <= start < e)
                end = max(end, start + len(item[field]))
                item["sentence"] = text[start:end]
                cues = []
                for cue in item.get("cues", []):
                    words = cue["text"] if isinstance(cue, dict) else cue
                    at = _find(text, words, start, cue.get("start") if isinstance(cue, dict) else None)
                    cues.append({"text": words, "start": at, "end": at + len(words)})
                item["cues"] = cues
            item["start"], item["end"] = start, end
            after = start
    return article


def main(paths: list[str]) -> int:
    for p in paths:
        path = Path(p)
        article = fill(json.loads(path.read_text(encoding="utf-8")))
        path.write_text(json.dumps(article, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
