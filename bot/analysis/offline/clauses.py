"""Stage 3, reported clauses: what was said, given a cue and its speaker phrase.

The layouts are the rules of stage "clause", tried in order: the clause before a closing cue ("…, the
airline said Thursday."), a cue inside what was said ("Many of the closures, he said, have involved …"),
the clause after the cue ("X said (that) …", "X told Y …").
"""
from __future__ import annotations

from bot.analysis.offline.cues import verbs
from bot.analysis.offline.doc import Doc, stop_punct
from bot.analysis.offline.lexicon import tagged, words
from bot.analysis.offline.units import RawQuote

_TELL = tagged("reporting_verbs", "hearer")  # "told reporters that …": a hearer may come first


_OBJECT_WORDS = words("layout_words", "hearer")


_ADJUNCT = words("layout_words", "adjunct_lead")


_ADJUNCT_HEADS = words("layout_words", "adjunct_head")


_NOMINATIVE = words("function_words", "nominative")


_FINITE = words("function_words", "finite")


_AMOUNT = words("layout_words", "amount_after_about")


_NOT_CLAUSE_OPENERS = words("layout_words", "not_clause_opener")


_SHORT_TAIL = words("layout_words", "short_tail")


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
