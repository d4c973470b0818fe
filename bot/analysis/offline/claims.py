"""Claims: the sentences carrying the article's main assertions, each with who makes it and how firmly.

Every flagged sentence is a claim (an unconfirmed one always, even a short one or a headline: the point of
newsbot is never to hide those). The rest of the budget goes to body sentences ranked by lead position,
attribution and checkable numbers; the claims come out in article order, ids c1, c2, ...

Source: the speaker of the quote that covers most of the sentence; else, for a sentence whose cue names
unnamed people ("sources say", "critics say"), those people; else the author, represented as
`Speaker(name="the author", kind="author")` — `find_claims` does not see the byline, and a fixed name
keeps the journalist's own claims recognisable whatever the extraction found.

Status, strongest first: the flag's level (`unconfirmed`, `hedged`, with the flag's cues), then
`attributed` when the source is not the author, else `asserted`.
"""

from __future__ import annotations

import re

from bot.analysis.model import Claim, Cue, Flag, Quote, Sentence, Speaker
from bot.analysis.offline.body import furniture, is_body
from bot.analysis.offline.lexicon import words

MAX_CLAIMS = 10
# Unflagged lead claims kept even when flags fill the budget: the article's own main points.
MIN_UNFLAGGED = 2
MIN_WORDS = 6
AUTHOR = Speaker(name="the author", title=None, kind="author")

# Cue words that name who holds the claim, when no quote does: "sources say", "critics argue".
_PEOPLE = words("mention_words", "claimer_people")
_CUE_VERBS = re.compile(
    r"\s+(?:have\s+)?(?:say|says|said|told|tell|argue|argued|claim|claimed|believe|believed|contend|warn|"
    r"suggest)\b.*$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _quote_speaker(sentence: Sentence, quotes: list[Quote]) -> Speaker | None:
    """The speaker of the sentence's quote: a direct one first, then a person, then the widest.

    "he said Russia was trying ..., according to the Kremlin": Putin makes the claim, the Kremlin relays it.
    """
    best: tuple[bool, bool, bool, int, int] | None = None
    speaker: Speaker | None = None
    for i, q in enumerate(quotes):
        cover = _overlap(q.start, q.end, sentence.start, sentence.end)
        if q.sentence_id == sentence.id:
            cover = max(cover, 1)
        # a relayed report is the inner speaker's: "Reuters reported that officials said …" is the officials'
        rank = (q.kind == "direct", q.speaker.via is not None, q.speaker.kind == "person", cover, -i)
        if cover and (best is None or rank > best):
            best, speaker = rank, q.speaker
    return speaker


def _cue_speaker(cues: list[Cue]) -> Speaker | None:
    """Unnamed people a cue gives as the source ("Sources say" → "sources"), if it names any."""
    for cue in cues:
        if cue.type not in ("anonymous", "weasel"):
            continue
        name = _CUE_VERBS.sub("", re.sub(r"^according\s+to\s+", "", cue.text, flags=re.IGNORECASE)).lower()
        if _PEOPLE & set(name.split()):
            return Speaker(name=name, title=None, kind="unnamed" if cue.type == "anonymous" else "group")
    for cue in cues:
        if cue.type == "anonymous":
            return Speaker(name="unnamed sources", title=None, kind="unnamed")
    return None


def _score(text: str, sentence: Sentence, rank: int, has_quote: bool) -> float:
    # Lead bias: news puts its main assertions first. Attributed and numeric sentences are the checkable ones.
    score = 1.0 / (1.0 + 0.15 * rank)
    if has_quote:
        score += 0.4
    if _DIGIT.search(text, sentence.start, sentence.end):
        score += 0.2
    return score


def _choose(text: str, sentences: list[Sentence], quotes: list[Quote], flags: dict[int, Flag]) -> list[Sentence]:
    chosen: dict[int, Sentence] = {}
    body: list[Sentence] = []
    skip = furniture(text, sentences)
    for s in sentences:
        if s.id in skip:
            continue  # a caption or a credit is the page's, not the article's
        flag = flags.get(s.id)
        ok = is_body(text, s, MIN_WORDS)
        if flag and (flag.level == "unconfirmed" or ok):
            chosen[s.id] = s
        elif ok:
            body.append(s)
    quoted = {s.id for s in body if _quote_speaker(s, quotes)}
    ranked = sorted(
        enumerate(body), key=lambda rs: (-_score(text, rs[1], rs[0], rs[1].id in quoted), rs[1].id)
    )
    budget = max(MAX_CLAIMS, len(chosen) + MIN_UNFLAGGED)
    for _, s in ranked:
        if len(chosen) >= budget:
            break
        chosen[s.id] = s
    return [chosen[i] for i in sorted(chosen)]


def find_claims(text: str, sentences: list[Sentence], quotes: list[Quote], flags: list[Flag]) -> list[Claim]:
    """Every flagged sentence plus the best-ranked others, MAX_CLAIMS in all or more, in article order."""
    by_sentence = {f.sentence_id: f for f in flags}
    claims: list[Claim] = []
    for n, s in enumerate(_choose(text, sentences, quotes, by_sentence), start=1):
        flag = by_sentence.get(s.id)
        cues = list(flag.cues) if flag else []
        source = _quote_speaker(s, quotes) or _cue_speaker(cues) or AUTHOR
        if flag:
            status = flag.level
        else:
            status = "asserted" if source.kind == "author" else "attributed"
        claims.append(
            Claim(id=f"c{n}", text=text[s.start : s.end], sentence_ids=[s.id], source=source, status=status,
                  cues=cues)
        )
    return claims
