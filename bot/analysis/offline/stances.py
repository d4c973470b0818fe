"""Stage "stance": who holds a claim that nobody is quoted making.

"Activists blame the factory for the fish deaths", "Dr. Ana Ruiz is sure that …", "A study published
last month found that …": these attribute a claim (claims.py) but report no words, so they are never
shown as quotes. Each is a RawQuote with `claim_only` set, resolved with the quotes (a "he" is a name).
Tried only in sentences where no quote starts; the first rule that decides wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.offline.clauses import _strip_end
from bot.analysis.offline.cues import verbs
from bot.analysis.offline.doc import DOCUMENT, TIME, Doc, stop_punct
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import Mention, classify
from bot.analysis.offline.rules import Rule, decide, stage
from bot.analysis.offline.speakers import SKIP_BEFORE, phrase_before
from bot.analysis.offline.subjects import _plain_subject, plural_subject
from bot.analysis.offline.units import Cue, RawQuote

_BLAME = words("layout_words", "blame_verb")
_SURE = words("layout_words", "stance_adjective")
_EVIDENCE_LEMMAS = words("layout_words", "evidence_verb")
_EVIDENCE_HEADS = words("mention_words", "document") | words("mention_words", "evidence_source")
_BE = words("function_words", "passive_aux")
MIN_CLAIM_TOKENS = 4  # a stance whose claim is shorter than this holds nothing worth attributing
SUBJECT_REACH = 12  # how far before an evidence verb its study or report may start ("A study published …")


def find_stances(doc: Doc, quotes: list[RawQuote]) -> list[RawQuote]:
    """Claim-only attributions in the sentences where no quote starts."""
    taken = {doc.sentence_index(q.start) for q in quotes}
    out: list[RawQuote] = []
    for si, sent in enumerate(doc.sentences):
        if si in taken:
            continue
        lo, hi = doc.tok_at(sent.start), doc.tok_at(sent.end)
        lo = doc.after_dateline(lo, hi)
        for v in range(lo + 1, hi):
            rq = decide(STANCE_RULES, Stance(doc, v, lo, hi))
            if rq is not None:
                out.append(rq)
                break
    return out


@dataclass(slots=True)
class Stance:
    doc: Doc
    v: int  # the stance word
    lo: int
    hi: int

    def subject(self, w: int) -> Mention | None:
        """Who stands before token `w` (auxiliaries and adverbs skipped): a speaker phrase, else a short
        plain noun phrase ("Thousands of social media posts")."""
        t, text = self.doc.toks, self.doc.text
        while w - 1 > self.lo and (t[w - 1].lower in SKIP_BEFORE or t[w - 1].lower in _BE):
            w -= 1
        ph = phrase_before(text, t, w, self.lo)
        m = classify(text, t[ph.first:ph.end]) if ph else None
        if m is None:
            ph = _plain_subject(self.doc, w, self.lo) or plural_subject(self.doc, w, self.lo)
            if ph is None:
                return None
            m = Mention("group", text[t[ph.first].start:t[ph.end - 1].end], None, t[ph.first].start, t[ph.end - 1].end)
        return None if m.kind == "author" else m

    def claim(self, m: Mention | None, a: int, cue_end: int) -> RawQuote | None:
        """The claim from token `a` to the sentence's end, held by `m`."""
        if m is None:
            return None
        t = self.doc.toks
        end = _strip_end(self.doc, a, self.hi)
        if end - a < MIN_CLAIM_TOKENS:
            return None
        return RawQuote(t[a].start, t[end - 1].end, "indirect", m, Cue(t[self.v].start, t[cue_end].end),
                        claim_only=True)


def _blame(s: Stance) -> RawQuote | None:
    if s.doc.toks[s.v].lower not in _BLAME:
        return None
    return s.claim(s.subject(s.v), s.v + 1, s.v)


def _sure_that(s: Stance) -> RawQuote | None:
    t = s.doc.toks
    v = s.v
    if t[v].lower not in _SURE or v + 1 >= s.hi or t[v + 1].lower != "that" or t[v - 1].lower not in _BE:
        return None
    return s.claim(s.subject(v - 1), v + 2, v + 1)


def _evidence(s: Stance) -> RawQuote | None:
    """"A study published last month found that …": a study, report or survey and the words describing it."""
    t = s.doc.toks
    v = s.v
    if verbs().get(t[v].lower, ("",))[0] not in _EVIDENCE_LEMMAS:
        return None
    head = next((k for k in range(v - 1, max(s.lo, v - SUBJECT_REACH) - 1, -1)
                 if t[k].lower in _EVIDENCE_HEADS or DOCUMENT in t[k].cls), None)
    if head is None or head == v - 1:
        return None  # right before the verb, the reporting rules already read it
    enclosed = t[head + 1].text == "," and t[v - 1].text == ","  # "The study, published Tuesday in …, found"
    if any(stop_punct(x) or (x.text == "," and not enclosed) for x in t[head:v]) \
            or (enclosed and any(x.text == "," for x in t[head + 2:v - 1])):
        return None
    first = head - 1 if head - 1 >= s.lo and t[head - 1].lower in ("a", "an", "the", "this", "that", "new") else head
    # "A report by the Harbor Institute released on Monday": the phrase ends at a name or at its head
    by_body = not enclosed and t[head + 1].lower in ("by", "from")
    ends = [e for e in range(v, head + 1, -1) if t[e - 1].is_cap and TIME not in t[e - 1].cls] if by_body else []
    m = next((m for e in ends + [head + 1] if (m := classify(s.doc.text, t[first:e])) is not None), None)
    a = v + 2 if v + 1 < s.hi and t[v + 1].lower == "that" else v + 1
    return s.claim(m, a, a - 1)


STANCE_RULES = stage("stance", [
    Rule("stance.blame", "Activists blame the paper mill for the fish deaths in the river near town.", _blame),
    Rule("stance.sure_that", "Dr. Ana Ruiz is sure that the new drug will cut hospital stays by a week.",
         _sure_that),
    Rule("stance.evidence", "A study published last month found that the drug cut relapse rates by half.",
         _evidence),
])
