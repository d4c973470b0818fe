"""The Analysis as a readable terminal report (what `newsbot analyze` prints without --json)."""

from __future__ import annotations

import textwrap
from collections import OrderedDict

from bot.analysis import language
from bot.analysis.model import Analysis, Cue

_BOLD, _DIM, _YELLOW, _RED, _RESET = "\033[1m", "\033[2m", "\033[33m", "\033[31m", "\033[0m"
_WIDTH = 100


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text


def _highlight(text: str, offset: int, cues: list[Cue], style: _Style) -> str:
    """`text` (which starts at `offset` in the article) with each cue's words marked."""
    out, pos = [], 0
    for cue in sorted(cues, key=lambda c: c.start):
        a, b = cue.start - offset, cue.end - offset
        if a < pos or b > len(text):
            continue
        out.append(text[pos:a])
        out.append(style(text[a:b], _YELLOW + _BOLD) if style.color else f"[{text[a:b]}]")
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(
        " ".join(text.split()), _WIDTH, initial_indent=indent, subsequent_indent=" " * (len(indent) + 2)
    )


def render(a: Analysis, color: bool = False) -> str:
    s = _Style(color)
    lines: list[str] = []
    title = a.source.title or "(untitled)"
    lines.append(s(title, _BOLD))
    # An unknown kind, or English (the default reader's language), goes without saying.
    kind = {"opinion": "OPINION", "news": "news"}.get(a.source.kind)
    foreign = language.name(a.source.language) if language.normalize(a.source.language) != "en" else None
    meta = [x for x in (kind, a.source.site, a.source.author, a.source.published, foreign) if x]
    if meta:
        lines.append(s(" · ".join(meta), _DIM))
    if a.source.url:
        lines.append(s(a.source.url, _DIM))
    # Warnings first: they say how far to trust what follows (a model that fell back, a foreign language).
    lines += [s(f"warning: {w}", _YELLOW) for w in a.warnings]

    lines += ["", s("Summary", _BOLD)]
    lines += [_wrap(item.text, "  • ") for item in a.summary] or ["  (none)"]

    lines += ["", s("Claims", _BOLD)]
    for c in a.claims:
        badge = {"unconfirmed": s("⚠ unconfirmed", _RED), "hedged": s("~ hedged", _YELLOW)}.get(c.status, c.status)
        who = c.source.name + (f" ({c.source.title})" if c.source.title else "") + c.source.via_phrase()
        lines.append(_wrap(c.text, f"  {c.id}. "))
        lines.append(f"      — {who}; {badge}" + (f": {', '.join(q.text for q in c.cues)}" if c.cues else ""))
    if not a.claims:
        lines.append("  (none)")

    lines += ["", s("Quoted", _BOLD)]
    by_speaker: OrderedDict[str, list] = OrderedDict()
    for q in a.quotes:
        key = q.speaker.name + (f", {q.speaker.title}" if q.speaker.title else "") + f" [{q.speaker.kind}]"
        by_speaker.setdefault(key, []).append(q)
    for who, quotes in by_speaker.items():
        lines.append(f"  {who}")
        for q in quotes:
            shown = f"“{q.text}”" if q.kind == "direct" else q.text
            lines.append(_wrap(shown, "    " + ("» " if q.kind == "direct" else "~ ")))
    if not a.quotes:
        lines.append("  (none)")

    lines += ["", s("Flags", _BOLD)]
    sentences = {x.id: x for x in a.sentences}
    for f in a.flags:
        sent = sentences.get(f.sentence_id)
        if sent is None:
            continue
        mark = s("⚠ unconfirmed", _RED) if f.level == "unconfirmed" else s("~ hedged", _YELLOW)
        cue_words = ", ".join(f"“{c.text}” ({c.type})" for c in f.cues)
        lines.append(f"  {mark} — {cue_words}")
        lines.append(_wrap(_highlight(a.text[sent.start:sent.end], sent.start, f.cues, s), "    "))
    if not a.flags:
        lines.append("  (none)")

    if a.links:
        lines += ["", s("Links in the article", _BOLD)]
        lines += [f"  {link.text or '(no text)'} — {link.url}" for link in a.links]
    engine = a.engine.name + (f" ({a.engine.model})" if a.engine.model else "")
    lines += ["", s(f"engine: {engine} {a.engine.version}", _DIM)]
    return "\n".join(lines) + "\n"
