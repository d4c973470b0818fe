"""Acronyms and their expansions: "the World Health Organization (WHO) … The WHO said" is one source,
named by its expansion.

An acronym is expanded when the article writes it in brackets after its name, or writes elsewhere a
capitalised name whose initials spell it ("The International Monetary Fund …" then "The IMF said").
"""

from __future__ import annotations

import re

from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import is_given_name

# Small words inside a name that give no initial: "Institute for the Study of War" is ISW.
_INNER = words("mention_words", "name_inner")
_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,6}\b")
_WORD = r"(?:[A-Z][a-z](?:[\w&-]|['’](?=\w)|\.(?=\w))*)"  # title case: not "ITS", not "CNN." + "By"
_NAME = re.compile(rf"{_WORD}(?:\s+(?:(?:[a-z]+\s+){{0,2}}){_WORD})+")
_BRACKETED = re.compile(rf"({_NAME.pattern})\s*\(([A-Z][A-Za-z&]{{1,7}})\)")
_LEADING = re.compile(r"^(?:The|A|An)\s+")
UNBRACKETED_MIN = 3  # letters an acronym needs to be matched to a name written without brackets


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper() or w.lower() not in _INNER).upper()


def _fit(name: str, acronym: str) -> str | None:
    """The shortest tail of `name` whose initials spell `acronym` ("Officials at the World Health
    Organization" -> "World Health Organization"), or None."""
    parts = _LEADING.sub("", name).removesuffix("'s").removesuffix("’s").split()
    for i in range(len(parts)):
        tail = " ".join(parts[i:])
        if not parts[i][0].isupper():
            continue
        want = acronym.upper().replace("&", "")
        if want in (_initials(tail), "".join(w[0] for w in tail.split()).upper()):  # "of" may count: ISOT
            return tail
    return None


def expansions(text: str) -> dict[str, str]:
    """Acronym -> the name it stands for, for every acronym the article spells out."""
    out: dict[str, str] = {}
    for m in _BRACKETED.finditer(text):
        name = _fit(m.group(1), m.group(2))
        if name:
            out.setdefault(m.group(2), name)
    # unbracketed, only longer acronyms and no person's name: "Ann Park" is not the "AP"
    wanted = {a for a in _ACRONYM.findall(text) if a not in out and len(a) >= UNBRACKETED_MIN}
    if wanted:
        for m in _NAME.finditer(text):
            for a in list(wanted):
                name = _fit(m.group(), a)
                if name and name.split()[-1][0].isupper() and not is_given_name(name.split()[0]):
                    out[a] = name
                    wanted.discard(a)
    return out


def expand(acronyms: dict[str, str], name: str) -> str | None:
    """The name of the source `name` stands for when it is an acronym the article spelled out ("the WHO",
    "WHO's" -> "World Health Organization (WHO)"): the expansion, with the acronym readers also know."""
    bare = _LEADING.sub("", name.strip())
    for suffix in ("’s", "'s"):
        bare = bare.removesuffix(suffix)
    if bare in acronyms:
        return f"{acronyms[bare]} ({bare})"
    # the expansion written alone is the same source: "World Health Organization" -> "… (WHO)"
    return next((f"{full} ({a})" for a, full in acronyms.items() if full == bare), None)
