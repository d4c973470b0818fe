"""Property tests: whatever the text, quotes never raise and every offset slices to what it claims."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.analysis import sentences
from bot.analysis.offline.quotes import find_quotes

# Text built from the pieces that drive the rules, so that the odd combinations actually occur.
PIECES = st.sampled_from([
    "“", "”", "‘", "’", "\"", "'", "«", "»", "„", " said", " says", " told me", " according to", ", ", ". ",
    ": ", " — ", "\n\n", " he", " she", " they", " Mr.", " Smith", " Jane", " U.S.", " officials", " that",
    " the", " President", " Institute", " of", " a", " person", " familiar with", " 10", " percent", "é", "\u200b",
    "\xa0", "😀", "الله", "中文", " (", ") ", "I", " We",
])
MIXED = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=60).map("".join)


def _check(text: str) -> None:
    for q in find_quotes(text, sentences.split(text)):
        assert text[q.start:q.end] == q.text
        assert q.end > q.start
        assert q.speaker.name.strip()
        assert q.speaker.name.lower() not in ("i", "me", "we", "us")
        if q.cue is not None:
            assert text[q.cue.start:q.cue.end] == q.cue.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MIXED)
def test_offsets_slice_on_news_like_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_unicode(text: str) -> None:
    _check(text)
