"""Load the plain-text word lexicons beside this code, once.

A file holds one entry a line; `#` starts a comment; a `[section]` line starts a section (entries before
any header go under "default"; a section may be opened again further down). An entry may carry tags,
`+tag` or `-tag`, after its words: `tell told +tell -invert` is the entry "tell told", tagged `tell` and
marked not `invert`. A line `@section` (or `@file:section`) pulls in every entry of another section, so a
list written once (the weekdays) serves every class that needs it.

Every word list the rules use lives here as data; the code names a section, never spells its words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "lexicons"


@dataclass(frozen=True, slots=True)
class Entry:
    text: str  # the entry's words, tags removed
    tags: frozenset[str]  # "+tag" names
    untags: frozenset[str]  # "-tag" names
    line: int  # 1-based line number in its file

    def has(self, tag: str) -> bool:
        return tag in self.tags


def _parse(raw: str, n: int) -> Entry:
    words, tags, untags = [], set(), set()
    for w in raw.split():
        if len(w) > 1 and w[0] == "+" and w[1:].isalpha():
            tags.add(w[1:])
        elif len(w) > 1 and w[0] == "-" and w[1:].isalpha():
            untags.add(w[1:])
        else:
            words.append(w)
    return Entry(" ".join(words), frozenset(tags), frozenset(untags), n)


@cache
def raw_sections(name: str) -> dict[str, tuple[Entry | str, ...]]:
    """The entries of lexicons/<name>.txt by section, in file order; an `@include` stays a string."""
    out: dict[str, list[Entry | str]] = {}
    current = "default"
    for n, raw in enumerate((LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            continue
        out.setdefault(current, []).append(line if line.startswith("@") else _parse(line, n))
    return {k: tuple(v) for k, v in out.items()}


@cache
def entries(name: str, section: str) -> tuple[Entry, ...]:
    """Entries of one section, includes expanded."""
    out: list[Entry] = []
    for e in raw_sections(name).get(section, ()):
        if isinstance(e, str):
            ref = e[1:]
            other, _, sec = ref.rpartition(":")
            out.extend(entries(other or name, sec))
        else:
            out.append(e)
    return tuple(out)


@cache
def sections(name: str) -> dict[str, tuple[str, ...]]:
    """Entry texts of lexicons/<name>.txt by section (tags dropped, includes expanded)."""
    return {sec: tuple(e.text for e in entries(name, sec)) for sec in raw_sections(name)}


@cache
def words(name: str, section: str) -> frozenset[str]:
    """The lower-cased entries of one section, as a set."""
    return frozenset(e.text.lower() for e in entries(name, section))


@cache
def tagged(name: str, tag: str, negative: bool = False) -> frozenset[str]:
    """First words of the entries of any section marked `+tag` (or `-tag` when `negative`)."""
    return frozenset(e.text.split()[0].lower() for sec in raw_sections(name) for e in entries(name, sec)
                     if tag in (e.untags if negative else e.tags))
