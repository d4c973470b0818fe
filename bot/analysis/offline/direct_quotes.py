"""Direct quotes: which quoted spans are someone's words, and the speaker phrase and cue that say whose.

Layouts read: `"…," X said.` `"…," said X.` `X said: "…"` `X said, "…"` `As X said in a speech, "…"`
`"…" — X` `According to X, "…"`; a quote that runs over paragraphs, or goes on after its attribution, or
fills a paragraph on its own, takes the speaker of the quote it continues (resolved later, in
quotes.py). A short quoted phrase inside a sentence with no speaker next to it is a scare quote or a title.
"""
from __future__ import annotations

from bot.analysis.offline.cues import INVERTIBLE, cue_span, is_passive, is_verb, verbs
from bot.analysis.offline.doc import Doc, stop_punct
from bot.analysis.offline.lexicon import tagged, words
from bot.analysis.offline.mentions import classify
from bot.analysis.offline.quote_marks import QuoteSpan, find_spans
from bot.analysis.offline.speakers import core_before, phrase_after, phrase_before
from bot.analysis.offline.subjects import main_clause_start, participle_subject, sentence_subject
from bot.analysis.offline.units import Attribution, Cue, RawQuote

_DASHES = frozenset({"—", "–", "-", "―"})


_TRAIL = " \t\n,;:"


MIN_FLOATING_WORDS = 4  # a quote standing alone at a sentence start


MIN_LOOSE_WORDS = 8  # a quote inside a sentence with no speaker beside it


MAX_TITLE_WORDS = 8  # a quote this short in title case is a title


_NAMING = tagged("reporting_verbs", "naming")  # "called the vote “a turning point”"


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


def _after(doc: Doc, s: QuoteSpan) -> Attribution | None:
    """A speaker right after the closing mark: `," X said` / `," said X` / `" — X` / `," according to X`."""
    if s.close_at is None:
        return None
    t = doc.toks
    p1 = doc.para_bounds(s.open_at)[1]
    i = doc.tok_at(s.close_at + 1)
    while i < len(t) and t[i].text in (",", "”", "’", "\"", "'") and t[i].start < p1:
        i += 1
    ends_sentence = doc.text[s.start:s.close_at].rstrip()[-1:] == "."
    if ends_sentence and i < len(t) and t[i].is_cap and t[i].text not in _DASHES and not _bare_attribution(t, i):
        return None  # `"…." Mr. Trump said …` starts a new sentence; the attribution would need a comma
    hi = i
    while hi < len(t) and t[hi].start < p1 and (t[hi].text in "()" or not stop_punct(t[hi])) and hi - i < 25:
        hi += 1
    if i >= hi or t[i].text in _DASHES:
        if i < len(t) and t[i].text in _DASHES and (t[i].start < p1 or _dash_line(doc, i, p1)):
            ph = phrase_after(doc.text, t, i + 1, min(len(t), i + 14))
            if ph:
                m = classify(doc.text, t[ph.first:ph.end])
                return Attribution(m, Cue(t[i].start, t[i].end), ph.appositive) if m else None
        return None
    if t[i].lower == "according" and i + 1 < hi and t[i + 1].lower == "to":
        ph = phrase_after(doc.text, t, i + 2, hi)
        m = classify(doc.text, t[ph.first:ph.end]) if ph else None
        return Attribution(m, Cue(t[i].start, t[i + 1].end), ph.appositive) if m else None
    reach = 12
    if i + 1 < hi and t[i].is_cap and any(x.text == "," for x in t[i + 1:i + 9]):
        reach = 30  # "Trump, the 2016 GOP presidential frontrunner and …, said"
        hi = _extend_past_commas(doc, i, p1, reach)
    v = next((k for k in range(i, min(hi, i + reach)) if is_verb(t[k]) and verbs()[t[k].lower][1] != "cognition"),
             None)
    if v is None or is_passive(t, v):
        return None
    if v == i:  # inverted: "said Rep. John Smith"
        ph = phrase_after(doc.text, t, v + 1, hi) if t[v].lower in INVERTIBLE else None
    else:
        ph = phrase_before(doc.text, t, v, i)
        if ph and ph.first != i and not _title_then_name(t, i, ph.first):
            # words between the quote and the speaker: not its attribution (but "…," California Rep.
            # Duncan Hunter's chief of staff, Joe Kasper, told …" names its speaker in an appositive)
            return None
    if not ph:
        return None
    m = classify(doc.text, t[ph.first:ph.end])
    return Attribution(m, cue_span(doc, v, ph), ph.appositive) if m else None


def _dash_line(doc: Doc, i: int, p1: int) -> bool:
    """A paragraph of its own that only signs the quote before it: "— Sanders." (fact-check layouts)."""
    q0, q1 = doc.para_bounds(doc.toks[i].start)
    return q0 >= p1 and doc.toks[i].start == q0 and len(doc.text[q0:q1].split()) <= 6


def _bare_attribution(t: list, i: int) -> bool:
    """`“… missing.” Trump said.`: a name and a speech verb that end the sentence on their own, a comma
    left out."""
    for k in range(i + 1, min(len(t) - 1, i + 5)):
        if is_verb(t[k]):
            return verbs()[t[k].lower][1] == "speech" and t[k + 1].text in (".", "!")
        if not t[k].is_cap:
            return False
    return False


def _title_then_name(t: list, i: int, name_at: int) -> bool:
    """`…," the presumptive nominee, Donald Trump, tweeted`: a title phrase from token i up to the comma
    before the name."""
    if name_at - 1 <= i or t[name_at - 1].text != ",":
        return False
    if t[i].is_cap:
        return True  # "California Rep. Dan Hunt's chief of staff, Joe Kasper, told"
    core = core_before(t, name_at - 1, i)
    return core is not None and core[0] <= i + 1


def _extend_past_commas(doc: Doc, i: int, p1: int, reach: int) -> int:
    t = doc.toks
    hi = i
    while hi < len(t) and t[hi].start < p1 and (t[hi].text in ",()" or not stop_punct(t[hi])) and hi - i < reach:
        hi += 1
    return hi


def _before(doc: Doc, s: QuoteSpan) -> Attribution | None:
    """A speaker before the opening mark in the same sentence: `X said: "` / `As X said on Monday, "`,
    or at the end of the paragraph before, when it ends in a colon (`Cruz continued:`).
    `partial` says whether other words stand between cue and quote (a partial quote)."""
    t = doc.toks
    a = doc.tok_at(s.open_at)
    p0, _ = doc.para_bounds(s.open_at)
    colon_para = s.open_at == p0 and a > 0 and t[a - 1].text == ":"
    if colon_para:
        p0 = doc.para_bounds(t[a - 1].start)[0]
        a -= 1
    lo = a
    while lo > 0 and t[lo - 1].start >= p0 and t[lo - 1].text not in (".", "?", "!", "”", "\"", ";") \
            and a - lo < 40:
        lo -= 1
    for v in range(a - 1, lo - 1, -1):
        low = t[v].lower
        if low == "according" and v + 1 < a and t[v + 1].lower == "to":
            ph = phrase_after(doc.text, t, v + 2, a)
            m = classify(doc.text, t[ph.first:ph.end]) if ph else None
            if m:
                return Attribution(m, Cue(t[v].start, t[v + 1].end), ph.appositive)
            return None
        if not is_verb(t[v]) or is_passive(t, v):
            continue
        cls = verbs()[low][1]
        naming = verbs()[low][0] in _NAMING and v + 6 >= a  # "called the vote “a turning point”"
        particle = v + 1 < a and t[v + 1].lower in ("back", "in", "up", "out")  # "shot back:", "chimed in,"
        if cls == "cognition" or (cls in ("weak", "object") and v + 2 + particle < a and not naming):
            continue  # a weak verb counts only right before the quote ("Cruz continued:")
        ph = phrase_before(doc.text, t, v, lo) or participle_subject(doc.text, t, v, lo)
        if ph is None and v + 1 < a and low in INVERTIBLE:
            ph = phrase_after(doc.text, t, v + 1, a)  # "Said Smith: "
        if ph is None:
            continue
        m = classify(doc.text, t[ph.first:ph.end])
        if m is None:
            continue
        between = [x for x in t[max(v, ph.end) + 1:a] if x.text not in (",", ":")]
        adjunct = a - 1 >= 0 and t[a - 1].text in (",", ":")
        partial = bool(between) and not adjunct
        return Attribution(m, cue_span(doc, v, ph), ph.appositive, partial)
    if a > 0 and t[a - 1].text == ":" and not colon_para:
        # "Loretta Lynch: 'Be the voice…'" / "From Smith: “…”" — a name and a colon, no verb
        ph = phrase_before(doc.text, t, a - 1, lo)
        m = classify(doc.text, t[ph.first:ph.end]) if ph else None
        if m is not None and m.kind in ("person", "organization") and ph.end == a - 1:
            return Attribution(m, Cue(t[a - 1].start, t[a - 1].end), ph.appositive)
    if colon_para:
        # "Sanders made the following comment:" then the quote as its own paragraph
        ph = sentence_subject(doc.text, t, lo, a)
        m = classify(doc.text, t[ph.first:ph.end]) if ph else None
        if m is not None and m.kind in ("person", "organization", "group", "pronoun"):
            return Attribution(m, Cue(t[a].start, t[a].end), ph.appositive)
    return None


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
        found = _after(doc, s) or _before(doc, s)
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
