"""Which sentences are article body: not the headline, site furniture, a question or a fragment.

Claims and the summary both choose among body sentences; the tests for each pin down the rules.
"""

from __future__ import annotations

import re

from bot.analysis.model import Sentence
from bot.analysis.offline.phrases import compiled, find_spans, load_phrases

_WORD = re.compile(r"[^\W_](?:[\w'\u2019.-]*\w)?")
# A sentence ends in . ! ? or an ellipsis, possibly inside closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_QUESTION = re.compile(r"\?[\"'\u201d\u2019)\]]*$")
_OPENING_QUOTE = "\"'\u201c\u2018\u00ab\u201e"

# First words that leave a bullet pointing at something the reader has not seen ("He", "But", "This").
DANGLING_OPENERS = frozenset(load_phrases("dangling_openers"))
_APOSTROPHE = re.compile("['\u2019]")


def words(text: str, sentence: Sentence) -> list[str]:
    return _WORD.findall(text, sentence.start, sentence.end)


def is_heading(text: str, sentence: Sentence) -> bool:
    """A headline, byline or section label: no sentence-ending punctuation, or Headline Title Case."""
    if not _TERMINAL.search(text[sentence.start : sentence.end]):
        return True
    content = [w for w in words(text, sentence) if len(w) > 3]
    return len(content) >= 4 and all(w[0].isupper() for w in content)


def opens_oddly(text: str, sentence: Sentence) -> bool:
    """Starts with a dash, bullet or other mark: a list item or a fragment of a transcript."""
    first = text[sentence.start : sentence.start + 1]
    return bool(first) and not (first.isalnum() or first in _OPENING_QUOTE or first in "([")


def is_question(text: str, sentence: Sentence) -> bool:
    return bool(_QUESTION.search(text[sentence.start : sentence.end]))


def is_boilerplate(text: str, sentence: Sentence) -> bool:
    return bool(find_spans(compiled("boilerplate"), text, sentence.start, sentence.end))


def opens_with_quote(text: str, sentence: Sentence) -> bool:
    return text[sentence.start : sentence.start + 1] in _OPENING_QUOTE


def opens_dangling(text: str, sentence: Sentence) -> bool:
    """True when the first word is a pronoun or connective that needs the sentence before it; a
    contraction counts by its first part ("It's", "She'd", "They're")."""
    first = words(text, sentence)[:1]
    return bool(first) and _APOSTROPHE.split(first[0])[0].lower() in DANGLING_OPENERS


def is_body(text: str, sentence: Sentence, min_words: int) -> bool:
    """A full declarative sentence of the article, at least `min_words` long."""
    return (
        len(words(text, sentence)) >= min_words
        and not is_heading(text, sentence)
        and not opens_oddly(text, sentence)
        and not is_question(text, sentence)
        and not is_boilerplate(text, sentence)
    )
