"""Extractive summary: the lead of the article, cleaned of what reads badly out of context.

Lead-3 is the baseline no unsupervised method clearly beats on news, and it has the fewest faithfulness
problems; what goes wrong with it is dangling coreference and connectives. So: the first body sentences
in order, skipping the headline, datelines and site furniture, questions, fragments, repeats (a caption
that restates the lead) and sentences that open inside a quotation (whose speaker the reader has not met
yet). Only the first bullet must stand on its own: it may not open with a pronoun or connective ("He",
"But", "It's"); the bullets after it follow it in article order, so "He" there has met its antecedent.
Each bullet is exactly one sentence of the text.
"""

from __future__ import annotations

import re

from bot.analysis.model import Sentence, Source, SummaryItem
from bot.analysis.offline.body import furniture, is_body, opens_dangling, opens_with_quote, words

BULLETS = 3
LONG_ARTICLE_BULLETS = 4
LONG_ARTICLE_SENTENCES = 30
# A fourth bullet earns its place only when the first three are short (one-line sentences): a reader of
# a long article then still gets about as much as three ordinary sentences give.
FOURTH_BULLET_MAX_WORDS = 45
MIN_WORDS = 8
# A bullet is read at a glance: past this many words it is one only when the article offers nothing
# shorter. Past MAX_WORDS a "sentence" is usually a list or a caption block glued together.
LONG_WORDS = 36
MAX_WORDS = 70
# Share of a sentence's words already in a picked bullet above which it is a repeat (a photo caption
# restating the lead, a "story highlights" line).
REPEAT_SHARE = 0.7

_ATTRIBUTED_QUOTE = re.compile(
    r"[,.!?][\"'\u201d\u2019]\s*(?:(?:says|said|adds|added|told)\s+[A-Z]|(?:[A-Z][\w.'\u2019-]*\s+){1,3}"
    r"(?:says|said|adds|added|told)\b)"
)
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def _good(text: str, sentence: Sentence, min_words: int, max_words: int, quote_led: bool) -> bool:
    return (
        is_body(text, sentence, min_words)
        and len(words(text, sentence)) <= max_words
        and (quote_led or not opens_with_quote(text, sentence) or _speaker_follows(text, sentence))
    )


def _speaker_follows(text: str, sentence: Sentence) -> bool:
    """A quotation that names its speaker before the sentence ends ("'...,' says Scott Sibella.")."""
    return bool(_ATTRIBUTED_QUOTE.search(text, sentence.start, sentence.end))


def _same_as_title(text: str, sentence: Sentence, source: Source) -> bool:
    title = (source.title or "").strip().lower()
    return bool(title) and text[sentence.start : sentence.end].strip().lower().rstrip(".") == title.rstrip(".")


def _content(text: str, sentence: Sentence) -> set[str]:
    return {w.lower() for w in _CONTENT_WORD.findall(text, sentence.start, sentence.end)}


def _repeats(text: str, sentence: Sentence, picked: list[Sentence]) -> bool:
    mine = _content(text, sentence)
    if not mine:
        return False
    return any(len(mine & _content(text, p)) >= REPEAT_SHARE * len(mine) for p in picked)


def _pick(text: str, sentences: list[Sentence], source: Source, want: int) -> list[Sentence]:
    picked: list[Sentence] = []
    skip = furniture(text, sentences)  # captions and credits are the page's
    # A short article may not have three such sentences: then shorter ones, and ones that open with a
    # quotation (usually attributed later in the sentence), rather than fewer bullets.
    for min_words, max_words, quote_led in ((MIN_WORDS, LONG_WORDS, False), (4, MAX_WORDS, True)):
        for s in sentences:
            if len(picked) >= want:
                break
            if picked and s.id < picked[0].id:
                continue  # never before the first bullet, which must be the one that stands alone
            if (
                s not in picked
                and s.id not in skip
                and _good(text, s, min_words, max_words, quote_led)
                and not (not picked and opens_dangling(text, s))
                and not _same_as_title(text, s, source)
                and not _repeats(text, s, picked)
            ):
                picked.append(s)
        if len(picked) >= BULLETS:
            break
    picked.sort(key=lambda s: s.id)
    return picked


def summarize(text: str, sentences: list[Sentence], source: Source) -> list[SummaryItem]:
    """3 bullets from the lead (a fourth for a long article whose first three are short); fewer only
    when the article has no more."""
    picked = _pick(text, sentences, source, BULLETS)
    if len(sentences) >= LONG_ARTICLE_SENTENCES and len(picked) == BULLETS:
        if sum(len(words(text, s)) for s in picked) <= FOURTH_BULLET_MAX_WORDS:
            picked = _pick(text, sentences, source, LONG_ARTICLE_BULLETS)
    return [SummaryItem(text=text[s.start : s.end], sentence_ids=[s.id]) for s in picked]
