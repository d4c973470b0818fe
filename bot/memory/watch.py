"""The watch list behind follow-ups: what is kept of each flagged claim so a new article is matched against
a few stored rows instead of whole stored analyses, and a first cut that is never wrong. Pure logic.

The first cut: `follow_up` (bot/memory/followups.py) needs a sentence of the new article that shares at
least one name with the claim, and two names are the same only when they are equal or start with the same
four letters. So a claim none of whose possible names starts like any word of the new article cannot be
followed up by it, and is skipped without running the matcher. `names` keeps the claim's side of that
test (every capitalised word and number, before an opening word is settled as a name or not), `article_keys`
the new article's (every word it could count as a name, before the same settling); both are supersets, never a reason to miss.
"""

from __future__ import annotations

import hashlib

from bot.analysis.model import Analysis
from bot.memory.followups import Watched, _cue_words, _terms
from bot.memory.names import fold

# Bump when what is stored per claim changes (watched(), the name rule): start-up fills it in again.
WATCH_VERSION = 1
PREFIX = 4  # letters two names must share to be the same (bot.memory.followups._same)


def claim_key(text_hash: str, sentence: str) -> str:
    """A claim's identity: the article text it is in (any address, any engine) and its sentence."""
    return f"{text_hash}#{hashlib.sha256(sentence.encode()).hexdigest()[:16]}"


def names(claim: Watched) -> tuple[str, ...]:
    """The prefixes of every word of the claim that may count as a name against some sentence."""
    skip = _cue_words() | {w for c in claim.cues for w in fold(c).split()}
    found, _ = _terms(claim.text, skip)
    return tuple(sorted({n[:PREFIX] for n in found}))


def article_keys(analysis: Analysis) -> frozenset[str]:
    """The prefixes of every word of `analysis` that may count as a name against some claim."""
    out: set[str] = set()
    for s in analysis.sentences:
        found, _ = _terms(analysis.text[s.start:s.end].strip(), _cue_words())
        out |= {w[:PREFIX] for w in found}
    return frozenset(out)


def may_follow(claim_names: tuple[str, ...], keys: frozenset[str]) -> bool:
    """False only when no sentence of the article can share a name with the claim."""
    return any(n in keys for n in claim_names)

