"""Indirect quotes: reported speech without quotation marks; the span is the reported clause.

Layouts read: `X said (that) …` `X told Y (that) …` `X warned/denied/argued … that …` `…, X said.`
`…, said X.` `According to X, …` `…, according to X.` Weak verbs ("continued", "praised") and beliefs
("believes") count only with a "that" clause, a clause opening with a pronoun or article ("she believes
the plan…"), or at the end of the clause they report ("…, she recalled.").
"""

from __future__ import annotations

from bot.analysis.offline.attribution import (
    INVERTIBLE,
    is_passive,
    is_verb,
    main_clause_start,
    participle_subject,
    phrase_after,
    phrase_before,
    stop_punct,
    verbs,
)
from bot.analysis.offline.direct_quotes import RawQuote, _cue_span
from bot.analysis.offline.lexicon import tagged, words
from bot.analysis.offline.quote_doc import Doc
from bot.analysis.offline.speakers import Mention, classify

_AMOUNT = words("layout_words", "amount_after_about")
_NOT_CLAUSE_OPENERS = words("layout_words", "not_clause_opener")
_GROUP_OPENERS = words("layout_words", "group_opener")
_SHORT_TAIL = words("layout_words", "short_tail")
_BEFORE_PLAIN_SAY = words("layout_words", "before_plain_say")
_TELL = tagged("reporting_verbs", "hearer")  # "told reporters that …": a hearer may come first
_OBJECT_WORDS = words("layout_words", "hearer")
_ADJUNCT = words("layout_words", "adjunct_lead")
_ADJUNCT_HEADS = words("layout_words", "adjunct_head")
_NEGATION = words("function_words", "negation")
_NOMINATIVE = words("function_words", "nominative")
_FINITE = words("function_words", "finite")
_OPEN_MARKS = "“\"‘'«„"
MIN_CONTENT_TOKENS = 3


def _strip_end(doc: Doc, lo: int, hi: int) -> int:
    """Index past the last token of the clause [lo, hi) worth keeping (no final stop)."""
    t = doc.toks
    while hi > lo and t[hi - 1].text in (".", ",", ";", ":", "?", "!", "—", "–"):
        hi -= 1
    return hi


def _clause_after(doc: Doc, v: int, lemma: str, hi: int) -> int | None:
    """First token of the reported clause after the cue at `v` (None if there is none)."""
    t = doc.toks
    k = v + 1
    # "that" soon after the verb opens the clause: "told CNN on Sunday that …"
    for x in range(k, min(hi, k + 12)):
        if t[x].lower == "that":
            if all(not stop_punct(y) for y in t[k:x]):
                return x
            break
        if stop_punct(t[x]) or (t[x].lower in verbs() and not t[x].is_cap) or t[x].lower in _FINITE \
                or t[x].lower in _NOMINATIVE \
                or t[x].text == ",":
            break  # "said there was clear evidence that …": that "that" belongs to the reported clause
    if lemma in _TELL:
        if k < hi and t[k].lower in _OBJECT_WORDS:
            k += 1
        while k < hi and (t[k].is_cap or t[k].lower in ("’s", "'s")):
            k += 1
        if k < hi and t[k].lower == "to":
            return None  # "told him to leave": an order, not a report
        # "told USA TODAY's weekly video series it is clear …": the clause opens with its subject
        nxt = next((x for x in range(k, min(hi, k + 10)) if t[x].lower in _NOMINATIVE or t[x].lower == "it"), None)
        if nxt is not None and not any(stop_punct(y) for y in t[k:nxt]) and t[k].lower not in _NOMINATIVE:
            k = nxt
    while k < hi and t[k].lower in _ADJUNCT:
        # skip a short adjunct up to its comma: "said on Monday, …" / "said in a statement that …"
        c = next((x for x in range(k, min(hi, k + 8)) if t[x].text == ","), None)
        if c is None:
            # or up to the word that ends it: "said on Tuesday it would …", "said in a statement the …"
            c = next((x for x in range(k + 1, min(hi, k + 7)) if t[x].lower in _ADJUNCT_HEADS), None)
            if c is None:
                break
        k = c + 1
    if k < hi and t[k].text == ",":
        k += 1
    return k if k < hi else None


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
                    cut = _conjunction_before(doc, rq.mention.start, doc.tok_at(out[-1].start)) \
                        if rq is not None and rq.mention is not None else None
                    if cut is not None and text[rq.start:rq.end].count(" ") + 1 >= MIN_CONTENT_TOKENS:
                        end = _strip_end(doc, doc.tok_at(out[-1].start), cut)
                        out[-1].end = t[end - 1].end
                        out.append(rq)
                        taken_until = max(taken_until, doc.tok_at(rq.end))
                continue
            if low == "according" and v + 1 < hi and t[v + 1].lower == "to":
                rq = _according(doc, v, lo, hi)
            elif is_verb(t[v]) and not inside_direct(t[v].start) and not is_passive(t, v) \
                    and not any(a <= t[v].start < b for a, b in direct_cues):
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
        return RawQuote(t[a].start, t[end - 1].end, "indirect", m, (word.start, word.end))
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
    return lo < len(doc.toks) and doc.toks[lo].lower in _SUBORDINATORS


def _according(doc: Doc, v: int, lo: int, hi: int) -> RawQuote | None:
    t = doc.toks
    ph = phrase_after(doc.text, t, v + 2, hi)
    m = classify(doc.text, t[ph[0]:ph[1]]) if ph else None
    if ph is not None and ph[1] < hi and t[ph[1]].text[:1].islower() and t[ph[1]].lower not in ("who", "which"):
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
        ph = (v + 2, k, None)
    cue = (t[v].start, t[v + 1].end)
    k = ph[1]
    while k < hi and t[k].text != "," and not stop_punct(t[k]):
        k += 1  # "according to a report by X released Monday,"
    if v == lo or (v > lo and t[v - 1].text not in (",", "(", "—")):
        if k < hi and t[k].text == ",":
            end = _strip_end(doc, k + 1, hi)
            if end > k + 1:
                return RawQuote(t[k + 1].start, t[end - 1].end, "indirect", m, cue, appositive=ph[2])
        return None
    if k < hi and t[k].text in (",", "—", "–") and _strip_end(doc, k + 1, hi) - (k + 1) >= MIN_CONTENT_TOKENS:
        # "Since November, according to Human Rights Watch, forces have killed 400": the phrase sits inside
        # what it attributes; after a "While …," clause only the main clause is theirs
        start = k + 1 if t[lo].lower in _SUBORDINATORS else lo
        while start < v and (t[start].lower in ("but", "and", "yet", "so", "however") or t[start].text == ","):
            start += 1
        if start >= v:
            start = k + 1  # "But, according to the poll, 46 percent remain undecided"
        end = _strip_end(doc, k + 1, hi)
        return RawQuote(t[start].start, t[end - 1].end, "indirect", m, cue)
    end = _strip_end(doc, lo, v)
    if end <= lo:
        return None
    return RawQuote(t[lo].start, t[end - 1].end, "indirect", m, cue, appositive=ph[2])


_NOUN_LIKE = words("layout_words", "cue_noun")
_NOUNISH = words("layout_words", "cue_noun_lemma")
_DETS = words("function_words", "det_noun")


def _noun_use(doc: Doc, v: int, lemma: str, lo: int) -> bool:
    """"the State IG report could not …", "Rust Belt states that …", "easier said than done": the cue word
    is a noun here, or no report at all."""
    t = doc.toks
    low = t[v].lower
    nxt = t[v + 1].lower if v + 1 < len(t) else ""
    if nxt == "than":
        return True
    if low in _NOUN_LIKE and nxt != "that":
        return True
    if low in ("state", "states") and v - 1 >= lo and t[v - 1].is_cap:
        return True  # "Rust Belt states that have suffered"
    if low == lemma and lemma in _NOUNISH:
        k = v - 1
        while k >= lo and k > v - 4 and t[k].is_cap:
            k -= 1
        if k >= lo and t[k].lower in _DETS and k < v - 1 or (k >= lo and k == v - 1 and t[k].lower in _DETS):
            return True  # "the [State IG] report"
    return False


def _reported(doc: Doc, v: int, lo: int, hi: int, lemma: str, cls: str) -> RawQuote | None:
    t = doc.toks
    if v - 1 >= lo and t[v - 1].lower in _NEGATION:
        return None  # "Russia has never declared …": a report that nothing was said
    if _noun_use(doc, v, lemma, lo):
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
    m = classify(doc.text, t[ph[0]:ph[1]])
    if m is None and fallback is None and cls == "speech" and not inverted:
        # "At least half of voters in each state say": the phrase before the verb was no speaker
        fallback = _plain_subject(doc, v, lo)
        if fallback is not None:
            ph = fallback
    if m is None and ph is fallback:
        # "Almost half of respondents said …", "Some of the women said …": a group no lexicon names
        kind = "unnamed" if t[ph[0]].lower in ("one", "a", "an") else "group"
        m = Mention(kind, doc.text[t[ph[0]].start:t[ph[1] - 1].end], None, t[ph[0]].start, t[ph[1] - 1].end)
    if m is None or m.kind == "author":
        return None
    cue = _cue_span(doc, v, ph)
    rest = _strip_end(doc, v + 1, _before_according(doc, v + 1, hi))
    # the cue closes the sentence: the clause before it is what was said ("…, U.S. officials told me.")
    subj_start = ph[0] if not inverted else v
    tail_end = ph[1] if inverted else v + 1
    if tail_end < len(t) and t[tail_end].lower in ("me", "us", "reporters", "him", "her", "them", "journalists"):
        tail_end += 1
    elif lemma in _TELL and not inverted:
        # "…, a Cairo airport official told The New York Times."
        k = tail_end + (tail_end < hi and t[tail_end].lower in ("the", "a", "an"))
        while k < hi and t[k].is_cap:
            k += 1
        if k > tail_end and (k >= rest or t[k].text == ","):
            tail_end = k
    if not inverted and tail_end < rest and (t[tail_end].lower in _ADJUNCT_HEADS or t[tail_end].lower in _ADJUNCT):
        # "…, the airline said Thursday." / "…, he said in an interview on Saturday.": a closing adjunct
        k = tail_end
        while k < rest and t[k].text != "," and k - tail_end < 10 and t[k].lower not in _FINITE \
                and t[k].lower not in _NOMINATIVE and t[k].lower != "that" and not stop_punct(t[k]):
            k += 1
        if k >= rest or t[k].text == ",":
            tail_end = k
    closing = inverted or tail_end >= rest or (tail_end < hi and t[tail_end].text == "," and cls != "cognition"
                                   and _is_short_tail(doc, tail_end, hi))
    if closing and subj_start > lo and t[subj_start - 1].text == ",":
        end = _strip_end(doc, lo, subj_start)
        if end > lo:
            return RawQuote(t[lo].start, t[end - 1].end, "indirect", m, cue, appositive=ph[2])
    if not inverted and subj_start > lo and t[subj_start - 1].text == "," and tail_end < hi \
            and t[tail_end].text == "," and cls != "cognition" and not _is_short_tail(doc, tail_end, hi):
        # "Many of the closures, he said, have involved …": the cue sits inside what was said
        end = _strip_end(doc, lo, hi)
        if end > tail_end + 1:
            return RawQuote(t[lo].start, t[end - 1].end, "indirect", m, cue, appositive=ph[2])
    if inverted:
        return None
    if lemma in _TELL and subj_start > lo and t[subj_start - 1].text == "," and not _that_follows(doc, v, hi) \
            and _opens_clause(doc, lo, subj_start) and t[lo].lower not in _SUBORDINATORS:
        # "This is not about me, President Obama told his closest advisers as …"
        end = _strip_end(doc, lo, subj_start)
        return RawQuote(t[lo].start, t[end - 1].end, "indirect", m, cue, appositive=ph[2])
    k = _clause_after(doc, v, lemma, hi)
    if k is None or k >= rest:
        return None
    if cls == "object" and t[k].lower != "that":
        return None
    if cls != "speech" and t[k].lower != "that" and not _opens_clause(doc, k, rest):
        return None  # a weaker verb needs "that" or a clause that plainly opens with its subject
    about_amount = t[k].lower == "about" and k + 1 < rest and (t[k + 1].text[:1].isdigit() or t[k + 1].lower in _AMOUNT)
    if not about_amount and t[k].lower in _NOT_CLAUSE_OPENERS:
        return None  # "continued to rise", "asked for", "spoke of": not a reported clause
    if cls != "speech" and t[k].lower.endswith("ing") and t[k].text.islower():
        return None  # "as Centerview continues gaining momentum"
    if t[k].lower not in _NOMINATIVE and t[k].lower != "that" \
            and any(t[x].lower == "to" and t[x + 1].lower == "be" for x in range(k + 1, min(rest - 1, k + 4))):
        return None  # "declared Hamas to be a terrorist organization": an object and an infinitive
    return RawQuote(t[k].start, t[rest - 1].end, "indirect", m, cue, appositive=ph[2])


_QUANTIFIERS = words("function_words", "quantifier")
_NOT_IN_SUBJECT = words("layout_words", "not_in_subject")


_PEOPLE_HEADS = words("mention_words", "people_head")


def _plain_subject(doc: Doc, v: int, lo: int) -> tuple[int, int, None] | None:
    """The short noun phrase opening the clause of a plain "said": "Almost half of respondents said",
    "Some of the women said", "Many speakers at the service said" (no name or lexicon word heads them)."""
    t = doc.toks
    j = v - 1
    while j >= lo and t[j].lower in _BEFORE_PLAIN_SAY:
        j -= 1
    if j - 2 >= lo and t[j].text == "," and t[j - 1].lower == "however" and t[j - 2].text == ",":
        j -= 3  # "Proponents of the bill, however, say …"
    s = main_clause_start(t, lo, v)
    if s is None and j - lo >= 2 and t[lo].lower == "at" and t[lo + 1].lower in ("least", "most"):
        s = lo  # "At least half of voters say …"
    # "…, but majorities in all five say …": the subject opens the last clause before the verb
    b = next((x for x in range(j, lo, -1) if t[x].lower in ("but", "while", "whereas") and t[x - 1].text == ","),
             None)
    if b is not None and (s is None or b + 1 > s):
        s = b + 1
    if s is None or j < s or j + 1 - s > 8 or t[s].lower not in _QUANTIFIERS and not t[s].text[:1].isdigit() \
            and t[s].lower not in _GROUP_OPENERS:
        return None
    for x in t[s:j + 1]:
        if x.text in (",", "(", ")") or stop_punct(x) or x.lower in _NOT_IN_SUBJECT and x is not t[s] \
                or x.lower in _FINITE or (is_verb(x) and x.text.islower() and x.lower != "polled") \
                or x.lower in _NOMINATIVE or x.lower in ("he", "she", "we", "you", "i"):
            return None
    prep = next((x for x in range(s + 1, j + 1) if t[x].lower in _PREPS), None)
    heads = {t[j].lower} | ({t[prep - 1].lower} if prep is not None else set())
    if not any(h.endswith("s") or h in _PEOPLE_HEADS for h in heads):
        return None  # "the same", "a statement": the head must name people
    return (s, j + 1, None)


_PREPS = words("function_words", "prep_subject")


def _acting_subject(doc: Doc, v: int, lo: int) -> tuple[int, int, None] | None:
    """The subject of "…, saying …" / "… and said …" that no lexicon word heads: "The departments declined
    to comment, saying …", "One operative inside the campaign tried to play it down, saying …"."""
    t = doc.toks
    p = v - 1
    while p > lo and t[p].lower in ("then", "also", "later", "quickly", "again"):
        p -= 1
    prev = t[p].lower if p > lo else ""
    if not ((prev == "," and t[v].lower.endswith("ing")) or prev in ("and", "but")):
        return None
    s = main_clause_start(t, lo, v)
    if s is None or t[s].lower not in _QUANTIFIERS and not t[s].text[:1].isdigit():
        return None
    e = s + 1
    while e < v and e - s <= 8 and not (t[e].text.islower() and t[e].lower not in _PREPS
                                         and (t[e].lower in _FINITE or t[e].lower.endswith("ed") or is_verb(t[e])
                                              or t[e].lower in _ACTS)):
        if t[e].text in (",", "(", ")") or stop_punct(t[e]) or t[e].lower in _NOT_IN_SUBJECT:
            return None
        e += 1
    if e >= v or e - s > 8:
        return None
    head = next((x for x in range(s + 1, e) if t[x].lower in _PREPS), e)
    if not t[head - 1].lower.endswith("s") and t[s].lower not in ("one", "a", "an") \
            and classify(doc.text, t[s:head]) is None:
        return None
    return (s, head, None)


_ACTS = words("layout_words", "act_verb")


def _that_follows(doc: Doc, v: int, hi: int) -> bool:
    return any(x.lower == "that" for x in doc.toks[v + 1:min(hi, v + 10)])


def _opens_clause(doc: Doc, k: int, end: int) -> bool:
    """"she believes the plan will fail" (a clause) vs "he praised the firefighters" (an object)."""
    t = doc.toks
    if t[k].lower in _NOMINATIVE:
        return True
    return any(x.lower in _FINITE for x in t[k + 1:min(end, k + 7)])


def _is_quoted(text: str, rq: RawQuote) -> bool:
    """The clause is one quotation from end to end: a direct quote, found as such."""
    if text[rq.start] not in _OPEN_MARKS:
        return False
    inner = text[rq.start + 1:rq.end].rstrip(" ,.;:!?")
    return not any(ch in inner[:-1] for ch in "”\"’") and inner[-1:] in "”\"’"


_PARTICIPLES = words("layout_words", "clause_ending_participle")


def _before_according(doc: Doc, lo: int, hi: int) -> int:
    """End of the reported clause: before a closing ", according to X" (someone else's), before a participle
    or a second verb of the speaker's (", insisting that …", ", and suggested that …"), before ", but …" and
    before a lone dash that opens the author's own comment ("— a modest boost for Obama")."""
    t = doc.toks
    for k in range(lo + 2, hi - 1):
        nxt = t[k + 1]
        low = nxt.lower
        if t[k].text == ",":
            if low in ("according", "but", "while", "whereas") or low == "compared" and k + 2 < hi \
                    and t[k + 2].lower in ("with", "to"):
                return k
            if nxt.text.islower() and low.endswith("ing") and (low in verbs() or low in _PARTICIPLES):
                return k
            if low == "and" and k + 2 < hi and t[k + 2].text.islower() and t[k + 2].lower in verbs() \
                    and t[k + 2].lower.endswith("ed"):
                return k
            if low == "and" and k + 3 < hi and t[k + 2].lower in ("he", "she") \
                    and t[k + 3].lower.endswith("ed") and t[k + 3].lower not in _FINITE:
                return k  # "…, and he railed against …": the author tells what the speaker did next
            if nxt.text.islower() and low in verbs() and verbs()[low][1] == "speech" and not low.endswith("ing"):
                return k  # "Podesta, who said the project was vetted, said he was unaware": the relative ends
        elif t[k].lower == "and" and nxt.text.islower() and low in verbs() and low.endswith("ed") \
                and verbs()[low][1] in ("speech", "weak"):
            return k  # "… since announcing his candidacy and suggested that …"
        elif t[k].text in ("—", "–", "--") and not any(x.text in ("—", "–", "--") for x in t[k + 1:hi]) \
                and t[k - 1].text not in (",",):
            return k
        elif t[k].text == ";":
            return k
    return hi


def _is_short_tail(doc: Doc, comma: int, hi: int) -> bool:
    """After `…, X said,` comes only an adjunct or a participle clause, not the reported content."""
    t = doc.toks
    nxt = t[comma + 1].lower if comma + 1 < hi else ""
    return nxt in _SHORT_TAIL
