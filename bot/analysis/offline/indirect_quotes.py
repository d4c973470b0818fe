"""Indirect quotes: reported speech without quotation marks; the span is the reported clause.

Each reporting word goes through the stages in order: the cue rules (cues.py) decide whether it reports,
the speaker rules (speakers.py, subjects.py) find who, the mention rules (mentions.py) what the phrase
names, the clause rules (clauses.py) what was said. Also read here: `According to X, …` / `…, according to
X.` and a headline that reports someone ("Clinton: I support D.C. statehood").
"""

from __future__ import annotations

from bot.analysis.offline.clauses import (
    _OPEN_MARKS,
    MIN_CONTENT_TOKENS,
    _before_according,
    _is_quoted,
    _strip_end,
    reported_clause,
)
from bot.analysis.offline.cues import INVERTIBLE, is_passive, is_verb, reports_here, stance_verbs, verbs
from bot.analysis.offline.doc import SUBORDINATOR, Doc, stop_punct
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import Mention, classify
from bot.analysis.offline.noun_phrases import phrase_after
from bot.analysis.offline.speakers import phrase_before
from bot.analysis.offline.subjects import _acting_subject, _plain_subject, participle_subject, plural_subject
from bot.analysis.offline.units import Cue, Phrase, RawQuote


def find_indirect(doc: Doc, direct: list[RawQuote]) -> list[RawQuote]:
    """Indirect quotes in every sentence, with the speaker phrase of each."""
    text, t = doc.text, doc.toks
    vb = verbs()
    in_direct = sorted((q.start, q.end) for q in direct)
    direct_cues = {q.cue for q in direct if q.cue and not q.partial}
    out: list[RawQuote] = []

    def inside_direct(pos: int) -> bool:
        return any(a <= pos < b for a, b in in_direct)

    headline = _headline_quote(doc, in_direct)
    if headline is not None:
        out.append(headline)
    for sent in doc.sentences:
        if headline is not None and sent.start < headline.end:
            continue
        lo, hi = doc.tok_at(sent.start), doc.tok_at(sent.end)
        lo = doc.after_dateline(lo, hi)
        taken_until = lo
        for v in range(lo, hi):
            low = t[v].lower
            if v < taken_until:
                # "X said A, but Y said B": a second report inside the first cuts it short
                if out and is_verb(t[v]) and not is_passive(t, v) and not inside_direct(t[v].start):
                    rq = _reported(doc, v, lo, hi, *vb[low])
                    if rq is not None and _relayed(doc, out[-1], rq):
                        # "Reuters reported that officials said X": the officials' words, Reuters the channel
                        rq.via = out[-1].mention
                        out.append(rq)
                        continue
                    if rq is not None and rq.mention is not None and out[-1].via is None \
                            and out[-1].mention is not None and out[-1].mention.end <= out[-1].start \
                            and rq.start <= out[-1].start < rq.end <= out[-1].end and rq.end < rq.mention.start:
                        # "Officials said X, Reuters reported.": the officials' words, relayed by Reuters
                        out[-1].end, out[-1].via = rq.end, rq.mention
                        continue
                    cut = _conjunction_before(doc, rq.mention.start, doc.tok_at(out[-1].start)) \
                        if rq is not None and rq.mention is not None else None
                    if cut is not None and text[rq.start:rq.end].count(" ") + 1 >= MIN_CONTENT_TOKENS:
                        end = _strip_end(doc, doc.tok_at(out[-1].start), cut)
                        out[-1].end = t[end - 1].end
                        out.append(rq)
                        taken_until = max(taken_until, doc.tok_at(rq.end))
                continue
            claim = low in _CLAIM_NOUNS and v + 1 < hi and t[v + 1].lower == "that" \
                and not inside_direct(t[v].start)
            if low == "according" and v + 1 < hi and t[v + 1].lower == "to":
                rq = _according(doc, v, lo, hi)
            elif claim and (rq := _claim_noun(doc, v, lo, hi)) is not None:
                pass  # "promoted the theory that …"; otherwise "claims" may still be a verb
            elif is_verb(t[v]) and not inside_direct(t[v].start) and not is_passive(t, v) \
                    and not any(c.start <= t[v].start < c.end for c in direct_cues):
                rq = _reported(doc, v, lo, hi, *vb[low])
            else:
                continue
            if rq is None:
                continue
            if text[rq.start:rq.end].count(" ") + 1 < MIN_CONTENT_TOKENS or _is_quoted(text, rq):
                continue
            out.append(rq)
            taken_until = max(taken_until, doc.tok_at(rq.end))
    return out


def _relayed(doc: Doc, outer: RawQuote, inner: RawQuote) -> bool:
    """Whether `inner` is a report opening what `outer` reports ("Reuters reported that officials said
    …", "According to the Ledger, police said …"): the inner speaker is the first thing said. A speaker
    phrase read back across the outer report ("Reuters reported that officials") is cut to its own words."""
    t = doc.toks
    if inner.mention is None or outer.mention is None or outer.kind != "indirect" or inner.start < inner.mention.end \
            or inner.end > outer.end + 1:
        return False
    k = doc.tok_at(outer.start)
    if t[k].lower == "that":
        k += 1
    if k >= len(t):
        return False
    if inner.mention.start < t[k].start < inner.mention.end:
        m = classify(doc.text, t[k:doc.tok_at(inner.mention.end)])
        if m is None or m.kind in ("author", "pronoun"):
            return False
        inner.mention = m
    return t[k].start == inner.mention.start


def _claim_noun(doc: Doc, n: int, lo: int, hi: int) -> RawQuote | None:
    """"X promoted the theory that …", "posts are spreading false claims that …": a verb of spreading an
    idea, then a noun of claiming and "that"; the clause is X's claim."""
    t = doc.toks
    v = next((k for k in range(n - 1, max(lo, n - 6) - 1, -1) if t[k].lower in stance_verbs()), None)
    if v is None or any(stop_punct(x) or x.text == "," for x in t[v + 1:n]):
        return None
    w = v
    while w - 1 > lo and t[w - 1].lower in _AUX_BEFORE_STANCE:
        w -= 1  # "posts are spreading claims that …", "he has pushed the theory that …"
    ph = phrase_before(doc.text, t, w, lo) or participle_subject(doc.text, t, w, lo)
    m = classify(doc.text, t[ph.first:ph.end]) if ph else None
    if m is None and ph is None and w < v:
        ph = plural_subject(doc, w, lo)  # "Thousands of social media posts are spreading claims that …"
        if ph is not None:
            m = Mention("group", doc.text[t[ph.first].start:t[ph.end - 1].end], None, t[ph.first].start,
                        t[ph.end - 1].end)
    if m is None or ph is None or m.kind == "author":
        return None
    rest = _strip_end(doc, n + 2, _before_according(doc, n + 2, hi))
    if rest - (n + 2) < MIN_CONTENT_TOKENS:
        return None
    return RawQuote(t[n + 2].start, t[rest - 1].end, "indirect", m, Cue(t[v].start, t[n + 1].end),
                    appositive=ph.appositive)


_CLAIM_NOUNS = words("layout_words", "claim_noun")
_AUX_BEFORE_STANCE = words("function_words", "passive_aux") | words("layout_words", "perfect_aux")


HEADLINE_WORDS = 25  # a first paragraph this short is a headline


_HEADLINE_VERBS = words("layout_words", "headline_verb")
_NOT_SPEAKERS = words("mention_words", "not_headline_speaker")


def _headline_quote(doc: Doc, in_direct: list[tuple[int, int]]) -> RawQuote | None:
    """A headline that reports someone: "Clinton: I support D.C. statehood", "Hacker Guccifer: Clinton's
    Server Unprotected", "Kasich Says He Is Tough Enough" (verbs written in title case)."""
    if not doc.paras:
        return None
    p0, p1 = doc.paras[0]
    head = doc.text[p0:p1].rstrip(" .")
    if not head or len(head.split()) > HEADLINE_WORDS:
        return None
    t = doc.toks
    lo, hi = doc.tok_at(p0), doc.tok_at(p0 + len(head))
    for k in range(lo + 1, min(hi, lo + 7)):
        word = t[k]
        colon = word.text == ":"
        if not colon and word.text not in {w.capitalize() for w in _HEADLINE_VERBS}:
            continue
        if any(a <= word.start < b for a, b in in_direct) or k + 1 >= hi:
            return None
        m = classify(doc.text, t[lo:k])
        if m is None or m.kind not in ("person", "organization", "group") \
                or doc.text[t[lo].start:t[k - 1].end].lower() in _NOT_SPEAKERS:
            return None
        a = k + 1
        if doc.text[t[a].start] in _OPEN_MARKS and _is_quoted(doc.text, RawQuote(t[a].start, t[hi - 1].end,
                                                                                   "indirect", m, None)):
            return None  # "Trump: 'I'm the Worst Thing…'" is a direct quote
        end = _strip_end(doc, a, hi)
        if end - a < MIN_CONTENT_TOKENS:
            return None
        return RawQuote(t[a].start, t[end - 1].end, "indirect", m, Cue(word.start, word.end))
    return None


def _conjunction_before(doc: Doc, pos: int, floor: int) -> int | None:
    """Index of the ", but" / "; " / ", while" that opens the clause whose subject starts at `pos`."""
    t = doc.toks
    k = doc.tok_at(pos) - 1
    if k - 1 <= floor:
        return None
    if t[k].text == ";":
        return k
    if t[k].lower in ("but", "while", "whereas", "and", "although") and t[k - 1].text == ",":
        return k - 1
    if t[k].lower in ("but", "and") and t[k - 1].text not in ("between", "both"):
        return k  # "… they will not attend and others have said they …"
    if t[k].text == "," and _opens_with_subordinator(doc, pos):
        return k  # "While Comey said A, he said B"
    return None


_SUBORDINATORS = words("function_words", "subordinator")


def _opens_with_subordinator(doc: Doc, pos: int) -> bool:
    lo, _ = doc.sentence_tokens(pos)
    return lo < len(doc.toks) and SUBORDINATOR in doc.toks[lo].cls


def _according(doc: Doc, v: int, lo: int, hi: int) -> RawQuote | None:
    t = doc.toks
    ph = phrase_after(doc.text, t, v + 2, hi)
    m = classify(doc.text, t[ph.first:ph.end]) if ph else None
    if ph is not None and ph.end < hi and t[ph.end].text[:1].islower() and t[ph.end].lower not in ("who", "which"):
        m = None  # "according to the top British medical journal": the phrase goes on past the name
    if m is None:
        # "according to a new poll", "according to the results": whatever is named up to the comma
        k = v + 2
        while k < hi and t[k].text not in (",", "'", "’", "‘") and not stop_punct(t[k]) and k - v < 14:
            k += 1
        if k == v + 2:
            return None
        src = t[v + 2:k]
        while src and src[0].lower in ("a", "an", "the"):
            src = src[1:]
        if not src:
            return None
        kind = "organization" if any(x.is_cap for x in src) else "unnamed"
        m = Mention(kind, doc.text[src[0].start:src[-1].end], None, src[0].start, src[-1].end)
        ph = Phrase(v + 2, k, None)
    cue = Cue(t[v].start, t[v + 1].end)
    k = ph.end
    while k < hi and t[k].text != "," and not stop_punct(t[k]):
        k += 1  # "according to a report by X released Monday,"
    if v == lo or (v > lo and t[v - 1].text not in (",", "(", "—")):
        if k < hi and t[k].text == ",":
            end = _strip_end(doc, k + 1, hi)
            if end > k + 1:
                return RawQuote(t[k + 1].start, t[end - 1].end, "indirect", m, cue, appositive=ph.appositive)
        return None
    if k < hi and t[k].text in (",", "—", "–") and _strip_end(doc, k + 1, hi) - (k + 1) >= MIN_CONTENT_TOKENS:
        # "Since November, according to Human Rights Watch, forces have killed 400": the phrase sits inside
        # what it attributes; after a "While …," clause only the main clause is theirs
        start = k + 1 if SUBORDINATOR in t[lo].cls else lo
        while start < v and (t[start].lower in ("but", "and", "yet", "so", "however") or t[start].text == ","):
            start += 1
        if start >= v:
            start = k + 1  # "But, according to the poll, 46 percent remain undecided"
        end = _strip_end(doc, k + 1, hi)
        return RawQuote(t[start].start, t[end - 1].end, "indirect", m, cue)
    end = _strip_end(doc, lo, v)
    if end <= lo:
        return None
    return RawQuote(t[lo].start, t[end - 1].end, "indirect", m, cue, appositive=ph.appositive)


def _reported(doc: Doc, v: int, lo: int, hi: int, lemma: str, cls: str) -> RawQuote | None:
    t = doc.toks
    if not reports_here(doc, v, lo, lemma):
        return None
    ph = phrase_before(doc.text, t, v, lo) or participle_subject(doc.text, t, v, lo)
    inverted = False
    fallback = None
    if ph is None and cls == "speech":
        fallback = _plain_subject(doc, v, lo) or _acting_subject(doc, v, lo)
        ph = fallback
    if ph is None:
        # "…, said Smith." — the speaker follows the verb at the end of the reported clause
        if v > lo and t[v - 1].text == "," and cls != "cognition" and t[v].lower in INVERTIBLE:
            ph = phrase_after(doc.text, t, v + 1, hi)
            inverted = ph is not None
        if ph is None:
            return None
    m = classify(doc.text, t[ph.first:ph.end])
    if m is None and fallback is None and cls == "speech" and not inverted:
        # "At least half of voters in each state say": the phrase before the verb was no speaker
        fallback = _plain_subject(doc, v, lo)
        if fallback is not None:
            ph = fallback
    if m is None and ph is fallback:
        # "Almost half of respondents said …", "Some of the women said …": a group no lexicon names
        kind = "unnamed" if t[ph.first].lower in ("one", "a", "an") else "group"
        m = Mention(kind, doc.text[t[ph.first].start:t[ph.end - 1].end], None, t[ph.first].start, t[ph.end - 1].end)
    if m is None or m.kind == "author":
        return None
    return reported_clause(doc, v, lo, hi, lemma, cls, ph, m, inverted)
