"""Follow-ups: does a new article confirm, dispute or still call unconfirmed a claim that an earlier one
flagged? Pure logic, no Slack and no store (bot/slack/followups.py posts what this finds).

An earlier claim is a sentence the earlier article's analysis flagged (unconfirmed or hedged). A sentence
of the new article is about that claim when both name at least one same person, place or organisation
(capitalised words and numbers) and share enough content words besides (a word matches a word when
rapidfuzz finds them near-identical, so "resign" meets "resigned"). The decision is the cue phrases in
that new sentence (lexicons/followup_cues.txt): confirmed, disputed or unconfirmed. Precision before
recall: no cue, cues of two kinds, or two matching sentences that disagree all decide nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from bot.analysis.model import Analysis
from bot.memory.names import fold

LEXICON = Path(__file__).parent / "lexicons" / "followup_cues.txt"
DECISIONS = ("confirmed", "disputed", "unconfirmed")
WATCHED_LEVELS = frozenset({"unconfirmed", "hedged"})
MIN_SHARED_NAMES = 1  # named people/places/organisations (or numbers) both sentences mention
MIN_SHARED_WORDS = 3  # other content words both sentences share
MIN_OVERLAP = 0.4  # shared words over the shorter sentence's content words
RELAXED_WORDS, RELAXED_OVERLAP = 1, 0.2  # a sentence the model's judge is shown (it decides, these only pick)
WORD_SIMILAR = 85  # rapidfuzz ratio at which two words (5+ letters) count as one
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Watched:
    """A claim an earlier article flagged: its sentence, and the flag's level and cue words."""

    sentence_id: int
    text: str
    level: str
    cues: tuple[str, ...]
    # The earlier article was analysed by the model engine, so its text has gone to the model provider
    # already: only such a claim may be sent to the model's follow-up judge (bot/analysis/followup_judge.py).
    sent_to_model: bool = False


@dataclass(frozen=True)
class FollowUp:
    """What a new article says about a watched claim, and the sentence and cue words that say it."""

    claim: Watched
    decision: str  # confirmed | disputed | unconfirmed
    sentence: str  # the new article's sentence, as written there
    cues: tuple[str, ...]  # the cue phrases in it that decide
    score: float


@cache
def _lexicon() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    section = "default"
    for raw in LEXICON.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line:
            out.setdefault(section, []).extend([fold(line)] if section != "stop" else fold(line).split())
    return {k: tuple(v) for k, v in out.items()}


@cache
def _stop() -> frozenset[str]:
    return frozenset(_lexicon().get("stop", ()))


@cache
def _cue_words() -> frozenset[str]:
    return frozenset(w for d in DECISIONS for phrase in _lexicon()[d] for w in phrase.split())


def sentence_text(analysis: Analysis, sentence_id: int) -> str:
    for s in analysis.sentences:
        if s.id == sentence_id:
            return analysis.text[s.start:s.end]
    return ""


def watched(analysis: Analysis) -> list[Watched]:
    """The claims of an earlier article worth following up: its flagged sentences."""
    out = []
    for flag in analysis.flags:
        if flag.level not in WATCHED_LEVELS:
            continue
        text = sentence_text(analysis, flag.sentence_id).strip()
        if text:
            out.append(Watched(flag.sentence_id, text, flag.level, tuple(dict.fromkeys(c.text for c in flag.cues)),
                               sent_to_model=analysis.engine.name == "openai"))
    return out


def cues(sentence: str) -> dict[str, list[str]]:
    """Decision → the cue phrases found in `sentence`; where phrases overlap the longest wins."""
    words = fold(sentence).split()
    found: list[tuple[int, int, str, str]] = []  # start, end (word indexes), decision, phrase
    for decision in DECISIONS:
        for phrase in _lexicon()[decision]:
            n = len(phrase.split())
            for i in range(len(words) - n + 1):
                if " ".join(words[i:i + n]) == phrase:
                    found.append((i, i + n, decision, phrase))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: set[int] = set()
    out: dict[str, list[str]] = {}
    for start, end, decision, phrase in found:
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            out.setdefault(decision, []).append(phrase)
    return out


def decide(sentence: str) -> tuple[str, tuple[str, ...]] | None:
    """The one decision a sentence's cues make, with its cue phrases; None for no cue or mixed cues."""
    found = cues(sentence)
    if len(found) != 1:
        return None
    decision, phrases = next(iter(found.items()))
    return decision, tuple(dict.fromkeys(phrases))


def _terms(sentence: str, skip: frozenset[str]) -> tuple[set[str], set[str]]:
    """(names, content words) of a sentence: capitalised words and numbers are names. A capitalised
    word opening the sentence is in both sets until the other sentence says which it is."""
    names, content = _terms_of(sentence, skip)
    return set(names), set(content)


# A claim meets every sentence of a new article, and a new sentence every claim: remembering each
# sentence's words makes matching a share against a team's claims about three times faster.
@lru_cache(maxsize=8192)
def _terms_of(sentence: str, skip: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    names, content = set(), set()
    for i, m in enumerate(_WORD.finditer(sentence)):
        raw = re.sub(r"['’]s$", "", m.group(0)).strip("'’-")
        word = _stem(fold(raw).replace(" ", ""))
        if not word or word in _stop() or word in skip or len(word) < 3 and not word.isdigit():
            continue
        if word.isdigit() or raw[:1].isupper():
            names.add(word)
            if i == 0 and raw.isalpha():
                content.add(word)
        else:
            content.add(word)
    return frozenset(names), frozenset(content)


def _settle(names: set[str], content: set[str], other_names: set[str]) -> None:
    """An opening capitalised word is a name when the other sentence names it, else a content word."""
    for word in names & content:
        if any(_same(word, n) for n in other_names):
            content.discard(word)
        else:
            names.discard(word)


def _stem(word: str) -> str:
    """A crude English stem, enough for "expelled" to meet "expelling" and "strikes" "strike"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and a[:4] == b[:4] and fuzz.ratio(a, b) >= WORD_SIMILAR


def _shared(a: set[str], b: set[str]) -> int:
    left = set(b)
    n = 0
    for word in sorted(a):
        hit = next((w for w in sorted(left) if _same(word, w)), None)
        if hit is not None:
            left.discard(hit)
            n += 1
    return n


def relatedness(claim: str, sentence: str, claim_cues: tuple[str, ...] = (), *, min_words: int = MIN_SHARED_WORDS,
                min_overlap: float = MIN_OVERLAP) -> float:
    """How surely `sentence` is about `claim`: 0 when it fails the name or word thresholds, else the
    share of the shorter sentence's names and content words the two have in common. The model's judge
    picks its candidates with lower thresholds (RELAXED_WORDS, RELAXED_OVERLAP): it decides, not this."""
    skip = _cue_words() | {w for c in claim_cues for w in fold(c).split()}
    names_a, words_a = _terms(claim, skip)
    names_b, words_b = _terms(sentence, skip)
    _settle(names_a, words_a, names_b - words_b)
    _settle(names_b, words_b, names_a)
    shared_names, shared_words = _shared(names_a, names_b), _shared(words_a, words_b)
    if shared_names < MIN_SHARED_NAMES or shared_words < min_words:
        return 0.0
    overlap = (shared_names + shared_words) / max(1, min(len(names_a | words_a), len(names_b | words_b)))
    return overlap if overlap >= min_overlap else 0.0


def follow_up(claim: Watched, new: Analysis) -> FollowUp | None:
    """What `new` says about `claim`, or None when it says nothing sure."""
    decided: list[FollowUp] = []
    for s in new.sentences:
        text = new.text[s.start:s.end].strip()
        score = relatedness(claim.text, text, claim.cues)
        if not score:
            continue
        decision = decide(text)
        if decision is not None:
            decided.append(FollowUp(claim, decision[0], text, decision[1], score))
    if not decided or len({d.decision for d in decided}) > 1:
        return None
    return max(decided, key=lambda d: d.score)


def follow_ups(earlier: Analysis, new: Analysis) -> list[FollowUp]:
    """Every watched claim of `earlier` that `new` confirms, disputes or still calls unconfirmed."""
    if earlier.text.strip() == new.text.strip():
        return []
    return [f for claim in watched(earlier) if (f := follow_up(claim, new)) is not None]
