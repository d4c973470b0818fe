"""Names as people type them, made comparable: "President Putin", "putin", "Vladimir Putin", "Pútin".

A source is indexed under its full name and, for a person, under the surname too; a query is folded the
same way (case, accents, punctuation) with titles and honorifics in front taken off, then looked up as one
key. The titles are the offline engine's own lexicon (lexicons/titles.txt), so both read names alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bot.analysis.model import Speaker
from bot.analysis.offline.lexicon import sections

# Who /sources can be asked about: named speakers. Unnamed ones ("a senior official") and the article's
# own voice are not anyone a reader could look up.
INDEXED_KINDS = frozenset({"person", "organization", "group"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_PARTICLES = frozenset({"de", "da", "del", "der", "van", "von", "la", "le", "di", "al", "bin", "el"})
_NOT_WORD = re.compile(r"[^\w]+")
_LEADING = frozenset({"the"})
_INITIALS = re.compile(r"\b\w(?: \w\b)+")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single-spaced: "Pútin, V." → "putin v"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _NOT_WORD.sub(" ", bare.casefold().replace("’", "'").replace("'s ", " ")).split()
    # Initials typed with or without stops read alike: "U.S." and "US" are both "us".
    return _INITIALS.sub(lambda m: m.group(0).replace(" ", ""), " ".join(words))


@cache
def _title_words() -> frozenset[str]:
    lexicon = sections("titles")
    words = {fold(w) for part in ("honorific", "role", "modifier") for w in lexicon.get(part, ())}
    return frozenset(w for w in words if w and " " not in w)


def strip_titles(folded: str) -> str:
    """Title and honorific words in front of a name taken off: "russian president vladimir putin" keeps
    "vladimir putin" only when the words before are titles; nationality adjectives go with them."""
    words = folded.split()
    titles = _title_words()
    last_title = -1
    for i, word in enumerate(words[:-1]):
        if word in titles:
            last_title = i
    # Everything up to the last title word is the title ("senior hamas official ali baraka").
    rest = words[last_title + 1:] if last_title >= 0 else words
    while len(rest) > 1 and rest[0] in _LEADING:
        rest = rest[1:]
    return " ".join(rest)


def surname(folded_name: str) -> str | None:
    words = [w for w in folded_name.split() if w not in _SUFFIXES]
    if len(words) < 2:
        return None
    last = words[-1]
    # "Charles de Gaulle" is also "de Gaulle": keep the particle with the surname.
    if len(words) >= 3 and words[-2] in _PARTICLES:
        return f"{words[-2]} {last}"
    return last


def speaker_keys(speaker: Speaker) -> list[str]:
    """The keys a speaker is found under: the full name, and a person's surname."""
    if speaker.kind not in INDEXED_KINDS:
        return []
    full = strip_titles(fold(speaker.name))
    if not full:
        return []
    keys = [full]
    if speaker.kind == "person":
        last = surname(full)
        if last and last not in keys:
            keys.append(last)
            # "de Gaulle" is also found as "gaulle".
            if " " in last:
                keys.append(last.split()[-1])
    return keys


def query_key(query: str) -> str:
    """What a typed name is looked up as: folded, titles off ("President Putin" → "putin")."""
    return strip_titles(fold(query))


def identity(speaker: Speaker) -> str:
    """Who a speaker is, for listing namesakes apart: the full folded name and kind."""
    return f"{speaker.kind}:{strip_titles(fold(speaker.name))}"
