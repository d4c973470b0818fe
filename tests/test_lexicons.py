"""The word lexicons are clean data: no entry twice in a section, every include resolves, and the
offline rules keep their word lists there rather than in code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.analysis.offline import lexicon

WORD_LEXICONS = sorted(p.stem for p in lexicon.LEXICON_DIR.glob("*.txt")
                       if not p.stem.startswith("cues_") and p.stem != "boilerplate")
OFFLINE = Path(lexicon.__file__).parent
# the reader's modules (summaries, article body) keep their own lists
# (phrases.py defines the phrase grammar's macros, a language rather than a word list)
NOT_MINE = {"body.py", "summary.py", "phrases.py"}


@pytest.mark.parametrize("name", WORD_LEXICONS)
def test_no_entry_is_listed_twice_in_one_section(name: str) -> None:
    for section, entries in lexicon.raw_sections(name).items():
        seen: dict[str, int] = {}
        for e in entries:
            if isinstance(e, str):
                continue
            key = e.text.lower()
            assert key not in seen, f"{name}.txt [{section}]: {e.text!r} on lines {seen[key]} and {e.line}"
            seen[key] = e.line


@pytest.mark.parametrize("name", WORD_LEXICONS)
def test_every_include_names_a_section(name: str) -> None:
    for section in lexicon.raw_sections(name):
        for e in lexicon.raw_sections(name)[section]:
            if isinstance(e, str):
                other, _, sec = e[1:].rpartition(":")
                assert sec in lexicon.raw_sections(other or name), f"{name}.txt [{section}]: {e} names nothing"


def test_tags_are_read_apart_from_the_words() -> None:
    tell = next(e for e in lexicon.entries("reporting_verbs", "speech") if e.text.startswith("tell "))
    assert tell.text == "tell told" and tell.has("hearer") and "invert" in tell.untags
    assert "tell" in lexicon.tagged("reporting_verbs", "hearer")
    assert "tell" in lexicon.tagged("reporting_verbs", "invert", negative=True)


def test_an_include_brings_the_other_sections_words() -> None:
    assert lexicon.words("function_words", "weekday") <= lexicon.words("function_words", "time")


def _word_literals(tree: ast.AST) -> list[tuple[int, list[str]]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.Tuple, ast.List)) and len(node.elts) >= 8:
            strs = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(strs) == len(node.elts) and all(re.fullmatch(r"[a-z][a-z'’.]+", s) for s in strs):
                out.append((node.lineno, strs))
    return out


def test_no_long_word_list_is_written_in_code() -> None:
    found = []
    for path in sorted(OFFLINE.glob("*.py")):
        if path.name in NOT_MINE:
            continue
        found += [f"{path.name}:{line} {words[:4]}…" for line, words in _word_literals(ast.parse(path.read_text()))]
    assert not found, "word lists belong in lexicons/*.txt: " + "; ".join(found)
