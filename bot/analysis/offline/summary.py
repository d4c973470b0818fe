"""Extractive summary: the lead of the article, cleaned of what reads badly out of context.

Lead-3 is the baseline no unsupervised method clearly beats on news, and it has the fewest faithfulness
problems; what goes wrong with it is dangling coreference and connectives. So: the first body sentences
in order, skipping the headline and site furniture, questions, fragments, sentences that open with a
pronoun or connective ("He", "But", "This") and sentences that open inside a quotation (whose speaker the
reader has not met yet). Each bullet is exactly one sentence of the text.
"""

from __future__ import annotations

from bot.analysis.model import Sentence, Source, SummaryItem
from bot.analysis.offline.body import is_body, opens_dangling, opens_with_quote, words

BULLETS = 3
LONG_ARTICLE_BULLETS = 4
LONG_ARTICLE_SENTENCES = 30
MIN_WORDS = 8
MAX_WORDS = 70  # a run-on "sentence" is usually a list or a caption block glued together


def _good(text: str, sentence: Sentence, min_words: int, quote_led: bool) -> bool:
    return (
        is_body(text, sentence, min_words)
        and len(words(text, sentence)) <= MAX_WORDS
        and not opens_dangling(text, sentence)
        and (quote_led or not opens_with_quote(text, sentence))
    )


def _same_as_title(text: str, sentence: Sentence, source: Source) -> bool:
    title = (source.title or "").strip().lower()
    return bool(title) and text[sentence.start : sentence.end].strip().lower().rstrip(".") == title.rstrip(".")


def summarize(text: str, sentences: list[Sentence], source: Source) -> list[SummaryItem]:
    """3 bullets (4 for a long article) from the lead; fewer only when the article has no more."""
    want = LONG_ARTICLE_BULLETS if len(sentences) >= LONG_ARTICLE_SENTENCES else BULLETS
    picked: list[Sentence] = []
    # A short article may not have three such sentences: then shorter ones, and ones that open with a
    # quotation (usually attributed later in the sentence), rather than fewer bullets. Never a dangling one.
    for min_words, quote_led in ((MIN_WORDS, False), (4, True)):
        for s in sentences:
            if len(picked) >= want:
                break
            if s not in picked and _good(text, s, min_words, quote_led) and not _same_as_title(text, s, source):
                picked.append(s)
        if len(picked) >= BULLETS:
            break
    picked.sort(key=lambda s: s.id)
    return [SummaryItem(text=text[s.start : s.end], sentence_ids=[s.id]) for s in picked]
