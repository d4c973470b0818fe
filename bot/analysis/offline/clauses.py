"""Stage 3, reported clauses: what was said, given a cue and its speaker phrase.

The layouts are the rules of stage "clause", tried in order: the clause before a closing cue ("…, the
airline said Thursday."), a cue inside what was said ("Many of the closures, he said, have involved …"),
the clause after the cue ("X said (that) …", "X told Y …").
"""

from __future__ import annotations

from bot.analysis.offline.cues import cue_span, verbs
from bot.analysis.offline.doc import DET, FINITE, HEARER, NOMINATIVE, SUBORDINATOR, Doc, stop_punct
from bot.analysis.offline.lexicon import tagged, words
from bot.analysis.offline.mentions import LABELS, Mention
from bot.analysis.offline.rules import STOP, Rule, decide, stage
from bot.analysis.offline.units import Phrase, RawQuote

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
        if stop_punct(t[x]) or (t[x].lower in verbs() and not t[x].is_cap) or FINITE in t[x].cls \
                or NOMINATIVE in t[x].cls \
                or t[x].text == ",":
            break  # "said there was clear evidence that …": that "that" belongs to the reported clause
    if lemma in _TELL:
        if k < hi and HEARER in t[k].cls:
            k += 1
        while k < hi and (t[k].is_cap or t[k].lower in ("’s", "'s")):
            k += 1
        if k < hi and t[k].lower == "to":
            return None  # "told him to leave": an order, not a report
        # "told USA TODAY's weekly video series it is clear …": the clause opens with its subject
        nxt = next((x for x in range(k, min(hi, k + 10)) if NOMINATIVE in t[x].cls or t[x].lower == "it"), None)
        if nxt is not None and not any(stop_punct(y) for y in t[k:nxt]) and NOMINATIVE not in t[k].cls:
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
    if NOMINATIVE in t[k].cls:
        return True
    return any(FINITE in x.cls for x in t[k + 1:min(end, k + 7)])


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
            if low == "and" and k + 2 < hi and t[k + 2].text.islower() and t[k + 2].lower in _AND_AUX:
                return k  # "Police believe Pike had help, and are asking …": the subject's next act
            if low == "and" and k + 3 < hi and t[k + 2].lower in ("he", "she") \
                    and t[k + 3].lower.endswith("ed") and FINITE not in t[k + 3].cls:
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
    """After `…, X said,` comes only an adjunct or a participle clause, not the reported content. A
    "but"/"and" with a subject of its own goes on with what was said ("The plan is sound, she said, but the
    money will run out by June"), unlike "…, she said, but declined to say more"."""
    t = doc.toks
    nxt = t[comma + 1].lower if comma + 1 < hi else ""
    if nxt in ("but", "and") and comma + 3 < hi and DET in t[comma + 2].cls:
        return not any(FINITE in x.cls for x in t[comma + 3:min(hi, comma + 7)])
    return nxt in _SHORT_TAIL


class Report:
    """A cue with its speaker phrase and mention, and the bounds a reported clause can take: the clause
    after the cue ends at `rest`; `tail_end` is past the cue and its hearer or adjunct ("told reporters",
    "said on Thursday"), so that "…, X said." / "…, X said Thursday." can be read as closing."""

    def __init__(self, doc: Doc, v: int, lo: int, hi: int, lemma: str, cls: str, ph: Phrase, m: Mention,
                 inverted: bool) -> None:
        t = doc.toks
        self.doc, self.v, self.lo, self.hi, self.lemma, self.cls = doc, v, lo, hi, lemma, cls
        self.ph, self.m, self.inverted = ph, m, inverted
        self.cue = cue_span(doc, v, ph)
        rest = self.rest = _strip_end(doc, v + 1, _before_according(doc, v + 1, hi))
        self.subj_start = ph.first if not inverted else v
        tail_end = ph.end if inverted else v + 1
        if tail_end < len(t) and t[tail_end].lower in _CLOSING_HEARER:
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
            while k < rest and t[k].text != "," and k - tail_end < 10 and FINITE not in t[k].cls \
                    and NOMINATIVE not in t[k].cls and t[k].lower != "that" and not stop_punct(t[k]):
                k += 1
            if k >= rest or t[k].text == ",":
                tail_end = k
        self.tail_end = tail_end
        self.comma_before = self.subj_start > lo and t[self.subj_start - 1].text == ","
        self._after: int | None | bool = False

    def quote(self, first: int, end: int) -> RawQuote:
        t = self.doc.toks
        first = _past_label(self.doc, first, end)
        return RawQuote(t[first].start, t[end - 1].end, "indirect", self.m, self.cue, appositive=self.ph.appositive)

    def after(self) -> int | None:
        """First token of the clause after the cue, if there is one before `rest`."""
        if self._after is False:
            k = _clause_after(self.doc, self.v, self.lemma, self.hi)
            self._after = k if k is not None and k < self.rest else None
        return self._after  # type: ignore[return-value]


def _past_label(doc: Doc, first: int, end: int) -> int:
    """Skip a fact-check label that opens the clause: "FACT CHECK: Vitamin C does not cure colds, says …"."""
    t = doc.toks
    colon = next((x for x in range(first, min(end, first + 4)) if t[x].text == ":"), None)
    if colon is not None and colon + 1 < end and doc.text[t[first].start:t[colon - 1].end].lower() in LABELS:
        return colon + 1
    return first


def reported_clause(doc: Doc, v: int, lo: int, hi: int, lemma: str, cls: str, ph: Phrase, m: Mention,
                    inverted: bool) -> RawQuote | None:
    """What the cue at `v` reports, by the first rule of stage "clause" that decides."""
    return decide(CLAUSE_RULES, Report(doc, v, lo, hi, lemma, cls, ph, m, inverted))


def _negated_subject(r: Report) -> object:
    """"No serious scientists suggest …", "Nobody has said …": a report that no one makes the claim."""
    t, first = r.doc.toks, r.ph.first
    if r.inverted:
        return None
    before = range(max(r.lo, first - 3), first + 1)
    if any(t[x].lower in _NO_ONE for x in before) and not any(t[x].text == "," for x in before):
        return STOP
    return None


def _closing(r: Report) -> RawQuote | None:
    t, hi = r.doc.toks, r.hi
    closing = r.inverted or r.tail_end >= r.rest or (
        r.tail_end < hi and t[r.tail_end].text == "," and r.cls != "cognition" and _is_short_tail(r.doc, r.tail_end, hi))
    if closing and r.comma_before:
        end = _strip_end(r.doc, r.lo, r.subj_start)
        # "Voss is skeptical of that explanation: the ladder worked, she said": what she said follows the colon
        start = next((k + 1 for k in range(end - 1, r.lo, -1) if t[k].text == ":"), r.lo)
        if end - start < MIN_CONTENT_TOKENS:
            start = r.lo
        if end > start:
            return r.quote(start, end)
    return STOP if r.inverted else None  # "…, said X" reports only what comes before it


def _cue_inside(r: Report) -> RawQuote | None:
    t, hi = r.doc.toks, r.hi
    if not r.inverted and r.comma_before and r.tail_end < hi and t[r.tail_end].text == "," \
            and r.cls != "cognition" and not _is_short_tail(r.doc, r.tail_end, hi):
        end = _strip_end(r.doc, r.lo, hi)
        if end > r.tail_end + 1:
            return r.quote(r.lo, end)
    return None


def _told_after_clause(r: Report) -> RawQuote | None:
    t = r.doc.toks
    if r.lemma in _TELL and r.comma_before and not _that_follows(r.doc, r.v, r.hi) \
            and _opens_clause(r.doc, r.lo, r.subj_start) and SUBORDINATOR not in t[r.lo].cls:
        return r.quote(r.lo, _strip_end(r.doc, r.lo, r.subj_start))
    return None


def _no_clause_after(r: Report) -> object:
    return STOP if r.after() is None else None


def _naming(r: Report) -> RawQuote | None:
    """"described the plan as a disaster for the town": the object and what the speaker called it are what
    was said."""
    t, k, rest = r.doc.toks, r.after(), r.rest
    assert k is not None
    if r.lemma not in _NAMING or t[k].lower == "that" or rest - k < 3:
        return None
    if any(x.text in _OPEN_MARKS for x in t[k:rest]):
        return None  # 'called the plan “a disaster”': the quoted words are a direct quote of their own
    if any(x.lower == "as" for x in t[k + 1:rest]):
        return r.quote(k, rest)
    return None


def _object_verb_needs_that(r: Report) -> object:
    return STOP if r.cls == "object" and r.doc.toks[r.after()].lower != "that" else None  # type: ignore[index]


def _weak_verb_needs_clause(r: Report) -> object:
    k = r.after()
    if r.lemma in _EVIDENCE and r.m.name.lower().split()[-1] in _EVIDENCE_SOURCES:
        return None  # "a new poll shows most voters back the plan": a finding needs no "that"
    if r.cls != "speech" and r.doc.toks[k].lower != "that" and not _opens_clause(r.doc, k, r.rest):  # type: ignore
        return STOP
    return None


def _preposition_after(r: Report) -> object:
    t, k, rest = r.doc.toks, r.after(), r.rest
    assert k is not None
    about_amount = t[k].lower == "about" and k + 1 < rest and (t[k + 1].text[:1].isdigit() or t[k + 1].lower in _AMOUNT)
    return STOP if not about_amount and t[k].lower in _NOT_CLAUSE_OPENERS else None


def _noun_object(r: Report) -> object:
    t, k = r.doc.toks, r.after()
    assert k is not None
    if r.lemma in _NEEDS_CLAUSE and t[k].lower not in ("that", "it") and not _opens_clause(r.doc, k, r.rest) \
            and not _past_verb_follows(r.doc, k, r.rest):
        return STOP
    return None


def _past_verb_follows(doc: Doc, k: int, end: int) -> bool:
    """"revealed the committee agreed to …": a clause whose verb is in the past tense, after its subject."""
    t = doc.toks
    return any(t[x].text.islower() and t[x].lower.endswith("ed") and DET not in t[x - 1].cls
               and t[x - 1].text not in (",", "’s", "'s") for x in range(k + 2, min(end, k + 5)))


def _gerund_after_weak_verb(r: Report) -> object:
    t, k = r.doc.toks, r.after()
    assert k is not None
    return STOP if r.cls != "speech" and t[k].lower.endswith("ing") and t[k].text.islower() else None


def _object_and_infinitive(r: Report) -> object:
    t, k, rest = r.doc.toks, r.after(), r.rest
    assert k is not None
    if NOMINATIVE not in t[k].cls and t[k].lower != "that" \
            and any(t[x].lower == "to" and t[x + 1].lower == "be" for x in range(k + 1, min(rest - 1, k + 4))):
        return STOP
    return None


def _clause_after_cue(r: Report) -> RawQuote | None:
    k = r.after()
    return r.quote(k, r.rest) if k is not None else None


_EVIDENCE = tagged("reporting_verbs", "evidence")
_EVIDENCE_SOURCES = words("mention_words", "document") | words("mention_words", "evidence_source")
_AND_AUX = words("layout_words", "and_aux")
_NO_ONE = words("function_words", "no_one")
_NAMING = tagged("reporting_verbs", "naming")
_NEEDS_CLAUSE = tagged("reporting_verbs", "clause")  # "revealed the new model": a noun object is no report
_CLOSING_HEARER = words("layout_words", "closing_hearer")
_SUBORDINATORS = words("function_words", "subordinator")
CLAUSE_RULES = stage("clause", [
    Rule("clause.negated_subject", "No serious scientist suggests the vaccine causes the illness.", _negated_subject),
    Rule("clause.closing", "The bridge will reopen in May, the mayor said.", _closing),
    Rule("clause.cue_inside", "Most of the closures, she said, have hit rural towns.", _cue_inside),
    Rule("clause.told_after_clause", "We are not giving up, the coach told his players before the match.",
         _told_after_clause),
    Rule("clause.no_clause_after", "The coach told him to leave the pitch.", _no_clause_after),
    Rule("clause.naming", "The mayor described the plan as a disaster for the town.", _naming),
    Rule("clause.object_verb_needs_that", "The mayor praised the firefighters for their work.", _object_verb_needs_that),
    Rule("clause.weak_verb_needs_clause", "The union continued its strike.", _weak_verb_needs_clause),
    Rule("clause.preposition_after", "The tenants asked for a meeting with the owner.", _preposition_after),
    Rule("clause.noun_object", "Lexa Motors revealed its new convertible at the show in Detroit.", _noun_object),
    Rule("clause.gerund_after_weak_verb", "The union continued pressing for what it says is fair pay.", _gerund_after_weak_verb),
    Rule("clause.object_and_infinitive", "The court declared the law to be void in all states.",
         _object_and_infinitive),
    Rule("clause.after_cue", "The mayor said the bridge would reopen in May.", _clause_after_cue),
])
