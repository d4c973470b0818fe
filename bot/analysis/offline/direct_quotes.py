"""Direct quotes: which quoted spans are someone's words, and the speaker phrase and cue that say whose.

Layouts read: `"…," X said.` `"…," said X.` `X said: "…"` `X said, "…"` `As X said in a speech, "…"`
`"…" — X` `According to X, "…"`; a quote that runs over paragraphs, or goes on after its attribution, or
fills a paragraph on its own, takes the speaker of the quote it continues (resolved later, in
quotes.py). A short quoted phrase inside a sentence with no speaker next to it is a scare quote or a title.
"""

from __future__ import annotations

from bot.analysis.offline.doc import Doc
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import classify
from bot.analysis.offline.quote_layouts import attribution_after, attribution_before
from bot.analysis.offline.quote_marks import QuoteSpan, find_spans
from bot.analysis.offline.subjects import main_clause_start, sentence_subject
from bot.analysis.offline.units import Attribution, RawQuote

_TRAIL = " \t\n,;:\u00a0\u202f"


MIN_FLOATING_WORDS = 4  # a quote standing alone at a sentence start


MIN_LOOSE_WORDS = 8  # a quote inside a sentence with no speaker beside it


MAX_TITLE_WORDS = 8  # a quote this short in title case is a title


_TITLE_SMALL_WORDS = words("function_words", "title_small")


def title_case(content: str) -> bool:
    """Two words or more, every one capitalised but the small function words: “The Apprentice”."""
    words = [w.strip(".,!?:;’'\"()") for w in content.split()]
    words = [w for w in words if w]
    return len(words) >= 2 and words[0][:1].isupper() \
        and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _TITLE_SMALL_WORDS for w in words)


def _content(text: str, s: QuoteSpan) -> tuple[int, int]:
    a, b = s.start, s.end
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1] in _TRAIL:
        b -= 1
    return a, b


def _sentence_subject(doc: Doc, s: QuoteSpan, sent_lo: int) -> Attribution | None:
    """The subject of the sentence a quote sits in, when no cue ties the quote to anyone: the nearest
    speaker the sentence offers ("Trump called the judge “a hater who has railroaded me”")."""
    t = doc.toks
    a = doc.tok_at(s.open_at)
    k = main_clause_start(t, doc.after_dateline(sent_lo, a), a)
    if k is None or k >= a:
        return None
    ph = sentence_subject(doc.text, t, k, a)
    m = classify(doc.text, t[ph.first:ph.end]) if ph else None
    if m is None or m.kind not in ("person", "pronoun", "organization", "group", "role"):
        return None
    return Attribution(m, None, ph.appositive)


def find_direct(doc: Doc) -> list[RawQuote]:
    """Direct quotes with the speaker phrase found next to them (None when it must be inherited)."""
    text = doc.text
    out: list[RawQuote] = []
    spans = find_spans(text)
    index_of: dict[int, int] = {}  # span index -> index in out
    for si, s in enumerate(spans):
        a, b = _content(text, s)
        if b <= a:
            continue
        n_words = len(text[a:b].split())
        if n_words <= MAX_TITLE_WORDS and title_case(text[a:b]):
            continue  # “The Apprentice”, "Morning Joe", ‘Hamilton’: the name of a work, not someone's words
        chain = out[index_of[s.prev]] if s.prev is not None and s.prev in index_of else None
        found = attribution_after(doc, s) or attribution_before(doc, s)
        partial = found is not None and found.partial
        sent_lo, _ = doc.sentence_tokens(s.open_at)
        at_start = doc.tok_at(s.open_at) <= sent_lo or s.open_at == doc.para_bounds(s.open_at)[0]
        if found is None and chain is None:
            # `"…," he said. "Short."` goes on with the same speaker, however short
            goes_on = at_start and bool(out) and out[-1].mention is not None \
                and doc.para_index(out[-1].start) == doc.para_index(s.open_at) and s.open_at - out[-1].end < 80
            if not goes_on and n_words < (MIN_FLOATING_WORDS if at_start else MIN_LOOSE_WORDS):
                continue
            if not at_start and not any(doc.tok_at(o.open_at) >= sent_lo for o in spans[:si]):
                found = _sentence_subject(doc, s, sent_lo)  # "She signed an agreement barring her from …"
        if found is not None and partial and n_words < 3:
            continue  # a word or two quoted inside a sentence: a scare quote
        colon = s.open_at > 0 and text[:s.open_at].rstrip().endswith(":")
        if found is not None and not partial and not at_start and not colon and n_words < 2:
            continue
        rq = RawQuote(a, b, "direct", found.mention if found else None, found.cue if found else None,
                      chain=chain, partial=partial, appositive=found.appositive if found else None,
                      opens_sentence=at_start)
        index_of[si] = len(out)
        out.append(rq)
    # the first piece of a quote run over paragraphs may only get its speaker from a later piece
    for rq in reversed(out):
        if rq.chain is not None and rq.mention is not None and rq.chain.mention is None:
            rq.chain.mention, rq.chain.cue = rq.mention, rq.cue
    return out
