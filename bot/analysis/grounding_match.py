"""Text matching for grounding: normalised search that maps back to exact offsets, names, sanitising.

Matching happens on a normalised copy of the text (NFKC, one quote mark of each kind, one dash, single
spaces, no zero-width characters or soft hyphens, lower case) that remembers, for every character, where
it came from; so a match is always turned back into a span of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

DOUBLE_QUOTES = '"\u201c\u201d\u201e\u201f\u2033\u2036\u301d\u301e\u301f\uff02\u00ab\u00bb'
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\uff07`\u00b4"
OPENING_DOUBLE = "\u201c\u201e\u201f\u00ab\u301d"
CLOSING_DOUBLE = "\u201d\u00bb\u301e\u301f"
OPENING_QUOTES = OPENING_DOUBLE + "\"'\u2018"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u200e\u200f"

_CHAR_MAP = {**{c: '"' for c in DOUBLE_QUOTES}, **{c: "'" for c in SINGLE_QUOTES}, **{c: "-" for c in DASHES}}


@dataclass(frozen=True)
class NormText:
    """A normalised string and, for each of its characters, the index of the source character."""

    norm: str
    origin: tuple[int, ...]
    source_len: int
    ends: tuple[int, ...] = ()  # exclusive source end of each character, past the accents folded into it

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source (start, end) of the normalised slice [start:end] (end exclusive, non-empty slice)."""
        return self.origin[start], (self.ends[end - 1] if self.ends else self.origin[end - 1] + 1)

    def index_at(self, source_offset: int) -> int:
        """First normalised index whose source character is at or after `source_offset`."""
        lo, hi = 0, len(self.origin)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.origin[mid] < source_offset:
                lo = mid + 1
            else:
                hi = mid
        return lo


def fold(s: str) -> str:
    """Compatibility forms and accents folded away ("ﬁ" → "fi", "é" and "e\u0301" → "e"), so that an article
    in decomposed Unicode (NFD) and a model answer in composed form still match."""
    return "".join(x for x in unicodedata.normalize("NFKD", s) if not unicodedata.combining(x))


def _norm_char(c: str) -> str:
    if c in INVISIBLE:
        return ""
    if c.isspace():
        return " "
    return "".join(_CHAR_MAP.get(x, x) for x in fold(c)).lower()


@lru_cache(maxsize=32)
def normalize(text: str) -> NormText:
    chars: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    for i, c in enumerate(text):
        if unicodedata.combining(c):  # an accent of decomposed text belongs to the letter before it
            if ends and ends[-1] == i:
                ends[-1] = i + 1
            continue
        for x in _norm_char(c):
            if x == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(x)
            origin.append(i)
            ends.append(i + 1)
    return NormText("".join(chars), tuple(origin), len(text), tuple(ends))


def norm_str(s: str) -> str:
    """The normalised form of a short string (a quote, a cue, a name), trimmed."""
    return normalize(s).norm.strip()


def _is_word(c: str) -> bool:
    return c.isalnum()


def _bounded(hay: str, start: int, end: int) -> bool:
    """True when [start:end] does not cut a word at either edge."""
    left_ok = start == 0 or not (_is_word(hay[start - 1]) and _is_word(hay[start]))
    right_ok = end >= len(hay) or not (_is_word(hay[end - 1]) and _is_word(hay[end]))
    return left_ok and right_ok


def find_exact(nt: NormText, needle: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Word-bounded occurrences of normalised `needle` in source range [lo, hi), as source spans."""
    if not needle:
        return []
    hay = nt.norm
    n_lo = nt.index_at(lo)
    n_hi = len(hay) if hi is None else nt.index_at(hi)
    out = []
    pos = hay.find(needle, n_lo, n_hi)
    while pos >= 0:
        if _bounded(hay, pos, pos + len(needle)):
            out.append(nt.span(pos, pos + len(needle)))
        pos = hay.find(needle, pos + 1, n_hi)
    return out


def _snap(hay: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _is_word(hay[start - 1]) and _is_word(hay[start]):
        start -= 1
    while end < len(hay) and _is_word(hay[end - 1]) and _is_word(hay[end]):
        end += 1
    return start, end


def find_fuzzy(
    nt: NormText, needle: str, lo: int, hi: int, threshold: float
) -> tuple[tuple[int, int], float] | None:
    """Best near-verbatim match of normalised `needle` in source range [lo, hi): (source span, score).

    partial_ratio finds the best window; it is then widened to whole words and must still score
    `threshold` with a plain ratio, so a match never means "contains most of the words".
    """
    hay = nt.norm
    n_lo, n_hi = nt.index_at(lo), nt.index_at(hi)
    window = hay[n_lo:n_hi]
    if not needle or len(window) < len(needle) * 0.9:
        return None
    # The window search is looser than the final test, so a one-typo short quote still finds its place.
    al = fuzz.partial_ratio_alignment(needle, window, score_cutoff=min(threshold, 90))
    if al is None:
        return None
    best: tuple[tuple[int, int], float] | None = None
    d0, d1 = al.dest_start + n_lo, al.dest_end + n_lo
    s0, e0 = _snap(hay, d0, d1)
    # The alignment may stop short of punctuation the needle has ("facts." vs "fact."): try a little wider.
    candidates = {(s, e) for s in (s0, d0, max(n_lo, s0 - 1)) for e in (e0, d1, e0 + 1, e0 + 2) if e <= n_hi}
    for s, e in sorted(candidates):
        s, e = _trim_spaces(hay, s, e)
        if e <= s or not _bounded(hay, s, e):
            continue
        score = fuzz.ratio(needle, hay[s:e])
        # One typo in a short quote ("normalise" for "normalize") scores under 97 but is still verbatim
        # in every sense that matters; the source words are shown anyway.
        if (score >= threshold or Levenshtein.distance(needle, hay[s:e]) <= 1) and (best is None or score > best[1]):
            best = (nt.span(s, e), score)
    return best


def _trim_spaces(hay: str, s: int, e: int) -> tuple[int, int]:
    while s < e and hay[s] == " ":
        s += 1
    while e > s and hay[e - 1] == " ":
        e -= 1
    return s, e


def strip_quote_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a source span past surrounding white space and quotation marks."""
    marks = DOUBLE_QUOTES + SINGLE_QUOTES
    while start < end and (text[start].isspace() or text[start] in marks or text[start] in INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks or text[end - 1] in INVISIBLE):
        end -= 1
    return start, end


def inside_quotation(text: str, start: int, end: int, para_start: int) -> bool:
    """Whether [start, end) sits inside quotation marks opened earlier in its paragraph."""
    before = text[para_start:start]
    return _inside_double(before) or _inside_single(before)


def crosses_quotation(text: str, start: int, end: int) -> bool:
    """Whether [start, end) leaves its quotation and comes back: '…with us,” he said. “Russia…' holds
    narrative between two quotations (a closing curly mark first, or any straight double mark, inside)."""
    inner = text[start:end]
    if '"' in inner or "\uff02" in inner:
        return True
    # British style: a closing ’ (not an apostrophe between letters) and then an opening ‘
    for i, ch in enumerate(inner):
        if ch == "\u2019" and not (0 < i < len(inner) - 1 and inner[i - 1].isalpha() and inner[i + 1].isalpha()):
            if "\u2018" in inner[i + 1 :]:
                return True
            break
    closes = [inner.find(c) for c in CLOSING_DOUBLE if c in inner]
    if not closes:
        return False
    opens = [inner.find(c) for c in OPENING_DOUBLE if c in inner]
    return not opens or min(closes) < min(opens)


def _inside_double(before: str) -> bool:
    last_open = max(before.rfind(c) for c in OPENING_DOUBLE)
    last_close = max(before.rfind(c) for c in CLOSING_DOUBLE)
    if last_open > last_close:
        return True
    if last_open < 0 and last_close < 0:
        # Straight quotes only: inside when an odd number of them precede the span.
        return before.count('"') % 2 == 1
    # A curly closer nearest before the span: a quote may still open with a straight mark after it.
    return before[last_close + 1 :].count('"') % 2 == 1


def _inside_single(before: str) -> bool:
    """British style: an opening ‘ with no closing ’ after it (an apostrophe sits between letters)."""
    opened = before.rfind("‘")
    if opened < 0:
        return False
    for i in range(opened + 1, len(before)):
        if before[i] == "’":
            flanked = before[i - 1].isalpha() and i + 1 < len(before) and before[i + 1].isalpha()
            if not flanked:
                return False
    return True


# Slack control sequences (<!channel>, <@U1>, <#C1>, <https://x|label>), bare links, broadcast words.
_SLACK_SEQ = re.compile(r"<[^<>\n]{0,500}>")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_BROADCAST = re.compile(r"(?i)[@!](channel|here|everyone)\b")
_MULTI_WS = re.compile(r"\s+")
_SENTENCE_REF = re.compile(r"\[\s*S\d+(?:\s*[,\u2013-]\s*S?\d+)*\s*\]")
_SPACE_BEFORE_PUNCT = re.compile(r" ([,.;:!?])(?=\s|$)")


def sanitize(text: str) -> str:
    """Model-written text made safe to show: no Slack mentions or links, single spaces."""
    # First undo disguises: zero-width characters inside "@chan\u200bnel", fullwidth "＜!channel＞".
    out = unicodedata.normalize("NFKC", "".join(c for c in text if c not in INVISIBLE))
    out = _SENTENCE_REF.sub(" ", out)  # the prompt's numbering echoed back ("… allies [S4].")
    out = _SLACK_SEQ.sub(" ", out)
    out = _URL.sub(" ", out)
    out = _BROADCAST.sub(r"\1", out)
    out = out.replace("<", " ").replace(">", " ")
    out = _MULTI_WS.sub(" ", out).strip()
    return _SPACE_BEFORE_PUNCT.sub(r"\1", out)  # "the West <!channel>, he says" → "the West, he says"


# Text addressed to a language model rather than to readers: a sign of prompt injection in the article.
_MODELS = (
    r"ai|llm|language\s+models?|models?|assistants?|bots?|chatbots?|newsbot|summari[sz]ers?|chatgpt|gpt-?\w*|claude"
    r"|gemini|copilot|ai\s+(?:assistant|model|summari[sz]er|tool)"
)
_INJECTION = re.compile(
    r"(?i)\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|of\s+)*"
    r"(?:previous|prior|above|earlier|preceding|former|system|original)\s+"
    r"(?:instructions?|prompts?|messages?)\b"
    # "rules"/"directions" only when they are the reader's own: "the council will ignore previous rules"
    # is news, "ignore all your previous rules" is not
    r"|\b(?:ignore|disregard|forget|override)\s+(?:all\s+(?:of\s+)?)?your\s+(?:\w+\s+)?(?:rules|directions|guidelines)\b"
    r"|\b(?:ignore|disregard)\s+(?:everything|anything)\s+(?:above|before|else)\b"
    r"|\b(?:ignore|disregard)\s+(?:the\s+)?(?:text|article|content)\s+(?:above|before)\b"
    r"|\bdear\s+(?:" + _MODELS + r")s?\b"
    r"|\battention\s*,?\s*(?:" + _MODELS + r")s?\s*[:!,]"
    r"|\b(?:" + _MODELS + r")s?\s*[:,]\s*(?:please\s+)?(?:ignore|disregard|forget|write|say|report|describe|summari[sz]e"
    r"|state|tell|include|add|mention|quote)\b"
    r"|\b(?:ai|llm)\s+(?:assistants?|models?|summari[sz]ers?|tools?|systems?)\s+(?:reading\s+this\s+)?"
    r"(?:must|should|shall|need\s+to)\s+(?:\w+\s+)?(?:describe|say|report|write|summari[sz]e|state|include|mention"
    r"|ignore|quote|call|label|tell|present)\b"
    r"|\bwhen\s+summari[sz]ing\s+(?:this|the)\s+(?:article|text|page|story)\b"
    r"|\bif\s+you\s+are\s+an?\s+(?:ai|llm|language\s+model|assistant|chatbot|bot)\b"
    r"|\b(?:new|updated|real|hidden)\s+instructions?\s*:"
    r"|\bsystem\s+(?:prompt|message)\b"
    r"|\byou\s+are\s+(?:now\s+)?(?:an?|the)\s+(?:ai|assistant|language\s+model|chatbot|llm)\b"
    r"|\b(?:note|message|attention|instructions?)\s+(?:to|for)\s+(?:the\s+|any\s+)?"
    r"(?:ai|llm|model|assistant|bot|chatbot|newsbot|summari[sz]er)s?\b"
    r"|^\s*(?:system|assistant)\s*:"
    r"|<\|(?:im_start|im_end|endoftext|system)\|>"
)


def looks_like_injection(text: str) -> bool:
    """Whether `text` reads like instructions to a model (then nothing the model cites from it is used)."""
    return bool(_INJECTION.search(text))


_STOP = frozenset(
    "that this with from have were been they their there which about would could into than them these those "
    "what when where while will also said says more most some such only other over after before being "
    # words about the article rather than from it ("the author argues that ...")
    "author article piece writer column columnist argue argues argued urge urges urged write writes wrote "
    "report reports reported story".split()
)
_WORD = re.compile(r"\w+")


_SUFFIXES = ("ings", "ing", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    """A crude stem: "Russia", "Russian" and "Russia's" → "russi"."""
    return _stem(word)


def _stem(word: str) -> str:
    w = fold(word).lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w[:5]


def content_words(text: str, *, names: bool = True) -> set[str]:
    """Crude stems of the content words; enough to tell a paraphrase from an invention.

    With names=False, capitalised words are left out: a line that repeats the names in its sentence but
    adds its own predicate ("X resigned") must not pass on the names alone.
    """
    words = _WORD.findall(fold(sanitize(text)))
    if not names:
        words = [w for w in words if not w[:1].isupper()]
    return {_stem(w) for w in words if (len(w) >= 4 or w.isdigit()) and w.lower() not in _STOP}


def support(model_text: str, source_text: str) -> float:
    """Share of the model text's non-name content words that occur in the source text (1.0 when none)."""
    words = content_words(model_text, names=False) or content_words(model_text)
    if not words:
        return 1.0
    return len(words & content_words(source_text)) / len(words)
