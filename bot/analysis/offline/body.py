"""Which sentences are article body: not the headline, site furniture, a question or a fragment.

Claims and the summary both choose among body sentences; the tests for each pin down the rules.
"""

from __future__ import annotations

import re

from bot.analysis.model import Sentence
from bot.analysis.offline.phrases import compiled, find_spans, load_phrases
from bot.analysis.sentences import paragraphs

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


# Page furniture by its shape: a line that is only "Advertisement", one that opens like a prompt to the
# reader ("Read more: …", "Sign up for …"), and photo credits ("Photo: Jane Roe/Reuters", "(AP Photo/…)",
# "… /Getty Images"): none is the article's, and a name in a credit is nobody the article quotes.
_FURNITURE_LINE = re.compile(r"^\W*(?:advertisement|sponsored(?: content)?|ad|read more)\W*$", re.IGNORECASE)
_FURNITURE_OPENING = re.compile(
    r"^\W*(?:(?:read more|related|see also|watch|listen|more)\s*[:\u2014]"
    r"|(?:sign up|subscribe|click|tap)\s+(?:for|to|here)\b)", re.IGNORECASE)
_CREDIT = re.compile(
    r"^\W*(?i:(?:file\s+)?(?:photo(?:graph)?s?|images?|pictures?|credit)\s*(?:by\s+|:))"
    r"|\((?:[A-Z][\w.]*\s+)?(?i:photo|file photo|photograph)\b[^)]*\)"
    r"|\w/\s*(?:Reuters|AP|AFP|Getty(?: Images)?|Bloomberg|EPA|Shutterstock|Alamy)\W*$"
    r"|\b(?:via|for|/)\s*Getty Images\b|^\W*Getty Images\W*$")


def is_furniture(text: str, sentence: Sentence) -> bool:
    """Site furniture, a photo credit or a caption carrying one: no part of the article's own text, so no
    quote, speaker or antecedent comes from it."""
    chunk = text[sentence.start:sentence.end]
    return bool(_FURNITURE_LINE.match(chunk) or _FURNITURE_OPENING.match(chunk) or _CREDIT.search(chunk)) \
        or is_boilerplate(text, sentence)


def opens_with_quote(text: str, sentence: Sentence) -> bool:
    return text[sentence.start : sentence.start + 1] in _OPENING_QUOTE


def opens_dangling(text: str, sentence: Sentence) -> bool:
    """True when the first word is a pronoun or connective that needs the sentence before it; a
    contraction counts by its first part ("It's", "She'd", "They're")."""
    first = words(text, sentence)[:1]
    return bool(first) and _APOSTROPHE.split(first[0])[0].lower() in DANGLING_OPENERS


CAPTION_SENTENCES = 3  # a paragraph this short that carries a photo credit is an image caption


def furniture(text: str, sentences: list[Sentence]) -> set[int]:
    """Ids of the sentences that are furniture, credits, or captions: every sentence of a short paragraph
    that ends with a credit ("Supporters wave flags on Sunday. (AP Photo/Carl Brandt)")."""
    out = {s.id for s in sentences if is_furniture(text, s)}
    for p0, p1 in paragraphs(text):
        inside = [s for s in sentences if p0 <= s.start < p1]
        if inside and len(inside) <= CAPTION_SENTENCES and _CREDIT.search(text[inside[-1].start:inside[-1].end]):
            out.update(s.id for s in inside)
    return out


def is_body(text: str, sentence: Sentence, min_words: int) -> bool:
    """A full declarative sentence of the article, at least `min_words` long."""
    return (
        len(words(text, sentence)) >= min_words
        and not is_heading(text, sentence)
        and not opens_oddly(text, sentence)
        and not is_question(text, sentence)
        and not is_furniture(text, sentence)
    )
