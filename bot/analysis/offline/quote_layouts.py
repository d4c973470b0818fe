"""Stage 2 for direct quotes: where a quote's attribution sits, as the rules of stages "after_quote"
('…," said Rep. John Smith.', '…" — Name', '…," according to X') and "before_quote" ('X said: "…"',
'In her words, …', 'Name: "…"', a colon paragraph), tried in order.
"""

from __future__ import annotations

from bot.analysis.offline.cues import (
    INVERTIBLE,
    according_to,
    cue_span,
    foreign_forms,
    is_passive,
    is_verb,
    verbs,
)
from bot.analysis.offline.doc import Doc, stop_punct
from bot.analysis.offline.lexicon import tagged, words
from bot.analysis.offline.mentions import Mention, classify
from bot.analysis.offline.noun_phrases import core_before, phrase_after
from bot.analysis.offline.quote_marks import QuoteSpan
from bot.analysis.offline.rules import STOP, Rule, decide, stage
from bot.analysis.offline.speakers import phrase_before
from bot.analysis.offline.subjects import participle_subject, sentence_subject
from bot.analysis.offline.units import Attribution, Cue, Phrase

_DASHES = frozenset({"—", "–", "-", "―"})


def attribution_after(doc: Doc, s: QuoteSpan) -> Attribution | None:
    """A speaker right after the closing mark: `," X said` / `," said X` / `" — X` / `," according to X`, read
    by the first rule of stage "after_quote" that decides."""
    return decide(AFTER_QUOTE_RULES, AfterQuote(doc, s)) if s.close_at is not None else None


class AfterQuote:
    """The words after a closing quote mark: tokens [i, hi) up to the end of the sentence or paragraph."""

    def __init__(self, doc: Doc, s: QuoteSpan) -> None:
        assert s.close_at is not None
        t = self.t = doc.toks
        self.doc, self.s = doc, s
        self.p1 = p1 = doc.para_bounds(s.open_at)[1]
        i = doc.tok_at(s.close_at + 1)
        while i < len(t) and t[i].text in (",", "”", "’", "\"", "'") and t[i].start < p1:
            i += 1
        self.i = i
        self.ends_sentence = doc.text[s.start:s.close_at].rstrip()[-1:] == "."
        hi = i
        while hi < len(t) and t[hi].start < p1 and (t[hi].text in "()" or not stop_punct(t[hi])) and hi - i < 25:
            hi += 1
        self.hi = hi
        self._verb: int | None | bool = False

    def verb(self) -> int | None:
        """The first reporting verb (not a belief) after the quote, within reach."""
        if self._verb is False:
            t, i = self.t, self.i
            reach = 12
            if i + 1 < self.hi and t[i].is_cap and any(x.text == "," for x in t[i + 1:i + 9]):
                reach = 30  # "Trump, the 2016 GOP presidential frontrunner and …, said"
                self.hi = _extend_past_commas(self.doc, i, self.p1, reach)
            self._verb = next((k for k in range(i, min(self.hi, i + reach))
                               if is_verb(t[k]) and verbs()[t[k].lower][1] != "cognition"), None)
        return self._verb  # type: ignore[return-value]

    def attribution(self, ph: Phrase | None, cue: Cue) -> Attribution | None:
        m = classify(self.doc.text, self.t[ph.first:ph.end]) if ph else None
        return Attribution(m, cue, ph.appositive) if m and ph else None


def _new_sentence(q: AfterQuote) -> object:
    t, i = q.t, q.i
    if q.ends_sentence and i < len(t) and t[i].is_cap and t[i].text not in _DASHES and not _bare_attribution(t, i):
        return STOP  # the attribution would need a comma
    return None


def _dash_signature(q: AfterQuote) -> object:
    t, i = q.t, q.i
    if not (i >= q.hi or t[i].text in _DASHES):
        return None
    if i < len(t) and t[i].text in _DASHES and (t[i].start < q.p1 or _dash_line(q.doc, i, q.p1)):
        ph = phrase_after(q.doc.text, t, i + 1, min(len(t), i + 14))
        return q.attribution(ph, Cue(t[i].start, t[i].end)) or STOP
    return STOP


def _according_to_after(q: AfterQuote) -> object:
    t, i = q.t, q.i
    n = according_to(t, i, q.hi)
    if n:
        return q.attribution(phrase_after(q.doc.text, t, i + n, q.hi), Cue(t[i].start, t[i + n - 1].end)) or STOP
    return None


def _no_verb_after(q: AfterQuote) -> object:
    v = q.verb()
    return STOP if v is None or is_passive(q.t, v) else None


def _inverted(q: AfterQuote) -> object:
    v, t = q.verb(), q.t
    # "« … », a déclaré Emmanuel Macron", "«…», ha dicho Pedro Sánchez": an auxiliary first
    if v != q.i and not (v == q.i + 1 and t[q.i].lower in _INVERTED_AUX):
        return None
    ph = phrase_after(q.doc.text, t, v + 1, q.hi) if t[v].lower in INVERTIBLE else None
    return q.attribution(ph, cue_span(q.doc, v, ph)) or _pronoun_after(q, v) or STOP


def _pronoun_after(q: AfterQuote, v: int) -> Attribution | None:
    """"„…“, sagte sie", "«…», dijo él", "« … », dit-il": a pronoun after a verb of another language (in
    English "…, said he" is archaic) stands for the person in focus, as "she said" does."""
    t = q.t
    word = t[v].lower
    if word not in foreign_forms():
        return None
    if "-" in word and word.rsplit("-", 1)[1] in _FOREIGN_PRONOUNS:
        pron, end = word.rsplit("-", 1)[1], t[v].end  # "dit-il": the pronoun is part of the token
    elif v + 1 < len(t) and t[v + 1].lower in _FOREIGN_PRONOUNS:
        pron, end = t[v + 1].lower, t[v + 1].end
    else:
        return None
    he = pron in tagged("function_words", "male")
    return Attribution(Mention("pronoun", "he" if he else "she", None, t[v].start, end, "m" if he else "f"),
                       Cue(t[v].start, end))


def _subject_verb(q: AfterQuote) -> object:
    v, t = q.verb(), q.t
    assert v is not None
    ph = phrase_before(q.doc.text, t, v, q.i)
    if ph and ph.first != q.i and not _title_then_name(t, q.i, ph.first):
        return STOP  # words between the quote and the speaker: not its attribution
    return q.attribution(ph, cue_span(q.doc, v, ph)) or STOP


_INVERTED_AUX = words("layout_words", "inverted_aux")


_FOREIGN_PRONOUNS = words("function_words", "foreign_pronoun")


AFTER_QUOTE_RULES = stage("after_quote", [
    Rule("after_quote.new_sentence", "“The pier is closed.” Mayor Ruiz then left for Paris.", _new_sentence),
    Rule("after_quote.dash_signature", "“We rebuild, we do not retreat.” — Ana Ruiz", _dash_signature),
    Rule("after_quote.according_to", "“The pier is closed for good,” according to the harbor board.",
         _according_to_after),
    Rule("after_quote.no_verb", "“The pier is closed for good,” was painted on the gate.", _no_verb_after),
    Rule("after_quote.inverted", "“The pier is closed for good,” said Mayor Ana Ruiz.", _inverted),
    Rule("after_quote.subject_verb", "“The pier is closed for good,” Mayor Ana Ruiz said.", _subject_verb),
])


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


def attribution_before(doc: Doc, s: QuoteSpan) -> Attribution | None:
    """A speaker before the opening mark in the same sentence: `X said: "` / `As X said on Monday, "`,
    or at the end of the paragraph before, when it ends in a colon (`Cruz continued:`), read by the first
    rule of stage "before_quote" that decides. `partial` says whether other words stand between cue and
    quote (a partial quote)."""
    return decide(BEFORE_QUOTE_RULES, BeforeQuote(doc, s))


class BeforeQuote:
    """The words of the sentence before an opening quote mark: tokens [lo, a)."""

    def __init__(self, doc: Doc, s: QuoteSpan) -> None:
        t = self.t = doc.toks
        self.doc = doc
        a = doc.tok_at(s.open_at)
        p0, _ = doc.para_bounds(s.open_at)
        self.colon_para = s.open_at == p0 and a > 0 and t[a - 1].text == ":"
        if self.colon_para:
            p0 = doc.para_bounds(t[a - 1].start)[0]
            a -= 1
        lo = a
        while lo > 0 and t[lo - 1].start >= p0 and t[lo - 1].text not in (".", "?", "!", "”", "\"", ";") \
                and a - lo < 40:
            lo -= 1
        self.a, self.lo = a, lo
        self._cue: tuple[str, int, Phrase | None, Mention | None] | None | bool = False

    def cue(self) -> tuple[str, int, Phrase | None, Mention | None] | None:
        """The nearest cue before the quote that names someone: ("according", …) or ("verb", …)."""
        if self._cue is False:
            self._cue = self._scan()
        return self._cue  # type: ignore[return-value]

    def _scan(self) -> tuple[str, int, Phrase | None, Mention | None] | None:
        t, a, lo, text = self.t, self.a, self.lo, self.doc.text
        for v in range(a - 1, lo - 1, -1):
            low = t[v].lower
            n = according_to(t, v, a)
            if n:
                ph = phrase_after(text, t, v + n, a)
                return "according", v, ph, classify(text, t[ph.first:ph.end]) if ph else None
            if not is_verb(t[v]) or is_passive(t, v):
                continue
            cls = verbs()[low][1]
            naming = verbs()[low][0] in _NAMING and v + 6 >= a  # "called the vote “a turning point”"
            particle = v + 1 < a and t[v + 1].lower in ("back", "in", "up", "out")  # "shot back:", "chimed in,"
            if cls == "cognition" or (cls in ("weak", "object") and v + 2 + particle < a and not naming):
                continue  # a weak verb counts only right before the quote ("Cruz continued:")
            ph = phrase_before(text, t, v, lo) or participle_subject(text, t, v, lo)
            if ph is None and v + 1 < a and low in INVERTIBLE:
                ph = phrase_after(text, t, v + 1, a)  # "Said Smith: "
            m = classify(text, t[ph.first:ph.end]) if ph is not None else None
            if m is not None:
                return "verb", v, ph, m
        return None


def _in_words(q: BeforeQuote) -> Attribution | None:
    """"In her words, the council “has lost its way”", "In Smith's words, …": the possessor speaks."""
    t, lo = q.t, q.lo
    k = lo + (lo < q.a and t[lo].text in "“\"")
    if not (k + 3 < q.a and t[k].lower == "in" and t[k + 2].lower == "words" and t[k + 3].text == ","):
        return None
    owner = t[k + 1]
    if owner.lower in ("his", "her"):
        m = Mention("pronoun", "he" if owner.lower == "his" else "she", None, owner.start, owner.end,
                    "m" if owner.lower == "his" else "f")
    else:
        m = classify(q.doc.text, [owner])
    return Attribution(m, Cue(t[k].start, t[k + 2].end)) if m is not None else None


def _according_to_before(q: BeforeQuote) -> object:
    c = q.cue()
    if c is None or c[0] != "according":
        return None
    _, v, ph, m = c
    end = q.t[v + according_to(q.t, v, q.a) - 1].end
    return Attribution(m, Cue(q.t[v].start, end), ph.appositive) if m and ph else STOP


def _verb_before(q: BeforeQuote) -> Attribution | None:
    c = q.cue()
    if c is None or c[0] != "verb":
        return None
    _, v, ph, m = c
    assert ph is not None and m is not None
    t, a = q.t, q.a
    between = [x for x in t[max(v, ph.end) + 1:a] if x.text not in (",", ":")]
    adjunct = a - 1 >= 0 and t[a - 1].text in (",", ":")
    return Attribution(m, cue_span(q.doc, v, ph), ph.appositive, bool(between) and not adjunct)


def _name_colon(q: BeforeQuote) -> Attribution | None:
    t, a = q.t, q.a
    if a > 0 and t[a - 1].text == ":" and not q.colon_para:
        ph = phrase_before(q.doc.text, t, a - 1, q.lo)
        m = classify(q.doc.text, t[ph.first:ph.end]) if ph else None
        if m is not None and ph is not None and m.kind in ("person", "organization") and ph.end == a - 1:
            return Attribution(m, Cue(t[a - 1].start, t[a - 1].end), ph.appositive)
    return None


def _colon_paragraph(q: BeforeQuote) -> Attribution | None:
    if not q.colon_para:
        return None
    t, a = q.t, q.a
    ph = sentence_subject(q.doc.text, t, q.lo, a)
    m = classify(q.doc.text, t[ph.first:ph.end]) if ph else None
    if m is not None and ph is not None and m.kind in ("person", "organization", "group", "pronoun"):
        return Attribution(m, Cue(t[a].start, t[a].end), ph.appositive)
    return None


BEFORE_QUOTE_RULES = stage("before_quote", [
    Rule("before_quote.in_words", "Ana Ruiz spoke last. In her words, the council “has lost its way on housing.”",
         _in_words),
    Rule("before_quote.according_to", "According to the harbor board, “the pier is closed for good.”",
         _according_to_before),
    Rule("before_quote.verb", "Mayor Ana Ruiz said: “The pier is closed for good.”", _verb_before),
    Rule("before_quote.name_colon", "Ana Ruiz: “The pier is closed for good.”", _name_colon),
    Rule("before_quote.colon_paragraph", "Mayor Ana Ruiz made the following remark at noon:\n\n"
         "“The pier is closed for good, and we will build a new one.”", _colon_paragraph),
])


_NAMING = tagged("reporting_verbs", "naming")  # "called the vote “a turning point”"
