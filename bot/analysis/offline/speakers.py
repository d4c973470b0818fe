"""Stage 2, speaker phrases: the noun phrase that names who speaks, read from word tokens next to a cue.

`phrase_before` reads the phrase that ends just before a cue ("senior Hamas official Ali Baraka said"),
skipping auxiliaries, adverbs and an appositive ("Smith, a spokesman for X, said"): its layouts are the
rules of stage "speaker", tried in order. `phrase_after` reads one that starts just after a cue ("said
Rep. John Smith", "according to the Kremlin"). Both return a `Phrase`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis.offline.cues import verbs
from bot.analysis.offline.doc import (
    DET,
    FUNCTION_CAP,
    GROUP,
    ORG,
    PRONOUN,
    RELATIVE,
    ROLE,
    TIME,
    TITLE,
    UNNAMED_ROLE,
    Token,
)
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import (
    ORGS,
    classify,
)
from bot.analysis.offline.noun_phrases import _plural_people, compound_start, core_before, role_like
from bot.analysis.offline.rules import STOP, Rule, decide, stage
from bot.analysis.offline.units import Phrase

# Words between a subject and its verb: "Baraka also said", "officials have long claimed".
SKIP_BEFORE = words("layout_words", "between_subject_and_verb")
_TIME = words("function_words", "time")
_RELATIVE = words("function_words", "relative")
_PREPOSITIONS = words("function_words", "prep")
_ADJUNCT_LEADS = words("layout_words", "appositive_adjunct_lead")
_PARTY = re.compile(r"^[RDI]-[A-Z]")  # "R-Ky.", "D-Mass."
_ANON = re.compile(
    r"(?:\b(?:a|an|one|two|three|four|several|some|other|another)\s+)?(?:[\w.’'-]+\s+){0,3}?"
    r"(?:person|people|source|sources|official|officials|aide|aides|adviser|advisers|insider|insiders|"
    r"diplomat|diplomats|officer|officers|member|members)\s+"
    r"(?:familiar|close|briefed|privy|knowledgeable|with\s+(?:direct\s+)?knowledge|who|involved|speaking|"
    r"granted|not\s+authorized)\b[^,.;:“”\"]*$",
    re.IGNORECASE,
)


_SHARE = re.compile(r"(?:\b(?:about|nearly|almost|roughly|some|just|only|over)\s+)?\b(?:one|two|three|four|five|six|"
                    r"seven|eight|nine|\d+)\s+(?:in|out\s+of)\s+(?:\d+|ten|three|four|five|six|seven|eight|nine)$",
                    re.IGNORECASE)


def _skip_conjunctions(toks: list[Token], first: int, end: int) -> int:
    while first < end - 1 and toks[first].lower in ("but", "and", "while", "so", "yet", "or", "although"):
        first += 1
    return first


@dataclass(slots=True)
class Before:
    """Where a speaker phrase before a cue is looked for: tokens [lo, verb), its last word at `j`."""

    text: str
    toks: list[Token]
    verb: int
    lo: int
    j: int
    _appositive: Phrase | None | bool = False  # computed once, by the first appositive rule that asks

    @property
    def last(self) -> Token:
        return self.toks[self.j]

    def core(self, end: int) -> Phrase | None:
        core = core_before(self.toks, end, self.lo)
        return Phrase(core[0], core[1]) if core else None

    def appositive(self) -> Phrase | None:
        if self._appositive is False:
            self._appositive = _appositive_phrase(self.text, self.toks, self.j, self.lo)
        return self._appositive  # type: ignore[return-value]


def phrase_before(text: str, toks: list[Token], verb: int, lo: int) -> Phrase | None:
    """The speaker phrase that ends before the cue at `verb` (no further left than `lo`), read by the first
    rule of stage "speaker" that decides."""
    j = verb - 1
    while j >= lo and (toks[j].lower in SKIP_BEFORE or (toks[j].lower.endswith("ly") and not toks[j].is_cap
                                                        and len(toks[j].text) > 4)):
        j -= 1
    # "Trump on Monday said", "officials last week warned"
    if j >= lo and TIME in toks[j].cls:
        k = j - 1
        while k >= lo and toks[k].lower in _TIME_LEAD:
            k -= 1
        j = k
    if j < lo:
        return None
    return decide(SPEAKER_RULES, Before(text, toks, verb, lo, j))


_ROLE_LINKS = words("layout_words", "role_link")
_ROLE_WORDS = words("titles", "role")
_SPEAKS_FOR = words("mention_words", "speaks_for")
_PLACE_LEADS = words("layout_words", "place_lead")
_PASSIVE_AUX = words("function_words", "passive_aux")
_TIME_LEAD = words("layout_words", "time_lead")
_DASH = ("—", "–", "--")


def _pronoun(c: Before) -> Phrase | None:
    return Phrase(c.j, c.j + 1) if PRONOUN in c.last.cls else None


def _possessor_before_noun(c: Before) -> object:
    t = c.last
    return STOP if c.j == c.verb - 1 and (t.lower.endswith(("’s", "'s", "s’", "s'")) or t.text in ("’", "'")) else None


def _description(c: Before) -> object:
    if c.last.text == "WHO":
        return None  # the World Health Organization, not "who"
    return STOP if RELATIVE in c.last.cls and not (c.j - 1 > c.lo and c.toks[c.j - 1].text == ",") else None


def _relative_clause(c: Before) -> object:
    if c.last.text in ("who", "Who") and c.j - 1 > c.lo and c.toks[c.j - 1].text == ",":
        ph = c.core(c.j - 1)
        if ph is not None and ph.first - 1 > c.lo and c.toks[ph.first - 1].text == ",":
            # "Ana Petrescu, an independent security researcher, who said …": the person, described
            name = c.core(ph.first - 1)
            if name is not None and _is_person(c.text, c.toks, name):
                return Phrase(name.first, name.end, c.text[c.toks[ph.first].start:c.toks[ph.end - 1].end])
        return ph or STOP
    return None


def _party_in_brackets(c: Before) -> object:
    if c.last.text != ")":
        return None
    k = c.j - 1
    while k > c.lo and c.toks[k].text != "(" and c.j - k < 8:
        k -= 1
    return (c.core(k) if c.toks[k].text == "(" else None) or STOP


def _dashed_appositive(c: Before) -> object:
    toks, j = c.toks, c.j
    if c.last.text not in _DASH:
        return None
    k = j - 1
    while k > c.lo and toks[k].text not in _DASH and j - k < 16:
        k -= 1
    if toks[k].text == c.last.text and k > c.lo:
        core = c.core(k)
        if core is not None and any(toks[x].is_cap for x in range(core.first, core.end)):
            return Phrase(core.first, core.end, c.text[toks[k + 1].start:toks[j - 1].end])
    return STOP


def _poll_share(c: Before) -> Phrase | None:
    toks, t = c.toks, c.last
    m = _SHARE.search(c.text, max(toks[c.lo].start if c.lo < len(toks) else 0, t.end - 40), t.end)
    if m and m.end() == t.end:
        return Phrase(next(x for x in range(c.lo, c.j + 1) if toks[x].start >= m.start()), c.j + 1)
    return None


def _quoted_as_saying(c: Before) -> object:
    toks, v = c.toks, c.verb
    if not (toks[v].lower == "saying" and v - 3 >= c.lo and toks[v - 1].lower == "as"
            and toks[v - 2].lower == "quoted"):
        return None
    k = v - 3
    while k > c.lo and toks[k].lower in SKIP_BEFORE | _PASSIVE_AUX:
        k -= 1  # "was later quoted", "has been quoted"
    return c.core(k + 1) or STOP


def _participle_clause(c: Before) -> object:
    # its subject is the sentence's: participle_subject finds it
    toks = c.toks
    if toks[c.verb].lower.endswith("ing") and (
            c.last.text == "," or (c.j - 1 >= c.lo and toks[c.j - 1].lower in _PREPOSITIONS)):
        return STOP
    return None


def _appositive_person(c: Before) -> Phrase | None:
    if c.last.text != ",":
        return None
    ph = c.appositive()
    if ph is not None and ph.first - 1 >= c.lo and c.toks[ph.first - 1].lower in _PLACE_LEADS:
        return None  # "Paul Ode, 41, of Leeds, who runs a bakery, said": Leeds is where he is from
    return ph if ph is not None and _is_person(c.text, c.toks, ph) else None


def _name_before_appositives_rule(c: Before) -> Phrase | None:
    return _name_before_appositives(c.text, c.toks, c.j, c.lo) if c.last.text == "," else None


def _appositive_other(c: Before) -> object:
    return (c.appositive() or STOP) if c.last.text == "," else None


def _anonymous(c: Before) -> Phrase | None:
    toks, t = c.toks, c.last
    m = _ANON.search(c.text, toks[c.lo].start if c.lo < len(toks) else t.start, t.end)
    if m and m.end() == t.end:
        first = next(x for x in range(c.lo, c.j + 1) if toks[x].start >= m.start())
        return Phrase(_skip_conjunctions(toks, first, c.j + 1), c.j + 1)
    return None


def _role_with_body(c: Before) -> Phrase | None:
    """"…, an official with the relief group CareBridge said", "Economists at two large banks said": a role,
    then the body it belongs to."""
    toks, j = c.toks, c.j
    k = j
    while k > c.lo and toks[k - 1].text != "," and j - k < 10:
        k -= 1
    if not (k == c.lo or toks[k - 1].text == ",") or j - k < 2:
        return None
    first = k
    if DET in toks[k].cls:
        k += 1
    elif not _plural_role(toks[k]):
        return None  # "An official with …" needs its article; "Economists at …" is plural
    if toks[k].lower in _SPEAKS_FOR or any(x.lower in verbs() or x.lower in SKIP_BEFORE for x in toks[k:j + 1]):
        return None  # "a spokeswoman for YouTube" speaks for YouTube; a verb inside is no noun phrase
    if k + 1 <= j and (ROLE in toks[k].cls or UNNAMED_ROLE in toks[k].cls or _plural_role(toks[k])) \
            and (toks[k].text.islower() or k == c.lo) and toks[k + 1].lower in _ROLE_LINKS and k + 1 < j:
        return Phrase(first, j + 1)
    return None


def _plural_role(t: Token) -> bool:
    low = t.lower
    return low.endswith("s") and (low[:-1] in _ROLE_WORDS or GROUP in t.cls)


def _compound(c: Before, first: int, end: int) -> Phrase:
    return Phrase(compound_start(c.toks, first, c.lo), end)


def _noun_phrase(c: Before) -> Phrase | None:
    core = c.core(c.j + 1)
    return _compound(c, core.first, core.end) if core else None


def _bare_noun(c: Before) -> Phrase | None:
    t = c.last
    if role_like(t) or GROUP in t.cls or ORG in t.cls or UNNAMED_ROLE in t.cls:
        return _compound(c, c.j, c.j + 1)
    return None


def _possessed_plural(c: Before) -> Phrase | None:
    toks, j, lo = c.toks, c.j, c.lo
    if not _plural_people(toks, j, c.verb):
        return None
    first = j
    if j - 1 >= lo and toks[j - 1].lower.endswith(("’s", "'s")):
        owner = core_before(toks, j, lo)
        first = owner[0] if owner else j - 1
    elif j - 1 >= lo and toks[j - 1].lower in ("his", "her", "their", "its", "our"):
        first = j - 1
    return _compound(c, first, j + 1)


SPEAKER_RULES = stage("speaker", [
    Rule("speaker.pronoun", "The plant will close in May, she said.", _pronoun),
    Rule("speaker.possessor_before_noun", "Lopez’s reply, “We will see,” came late.", _possessor_before_noun),
    Rule("speaker.description", "Tenants who say the rent is too high rarely move.", _description),
    Rule("speaker.relative_clause", "Dana Fry, who said the dam was safe, left the board.", _relative_clause),
    Rule("speaker.party_in_brackets", "Rep. Tom Hale (R-Ohio) said the bill would fail.", _party_in_brackets),
    Rule("speaker.dashed_appositive", "Mia Lund — a nurse from Dover — says the ward is full.", _dashed_appositive),
    Rule("speaker.poll_share", "One in four said the bridge felt unsafe.", _poll_share),
    Rule("speaker.quoted_as_saying", "Ana Ruiz was quoted as saying the pier would never reopen.", _quoted_as_saying),
    Rule("speaker.participle_clause", "The council voted on Monday, saying the park will stay open.",
         _participle_clause),
    Rule("speaker.appositive_person", "Ann Berg, a lawyer for the tenants, said the eviction was illegal.",
         _appositive_person),
    Rule("speaker.name_before_appositives", "Jo Marsh, clearly tired, said the count would finish late.",
         _name_before_appositives_rule),
    Rule("speaker.appositive_other", "The port authority, which runs the docks, said cargo was down.",
         _appositive_other),
    Rule("speaker.anonymous", "A person familiar with the talks said a deal was close.", _anonymous),
    Rule("speaker.role_with_body", "The road was closed on Monday, an official with the relief group Aidline said.",
         _role_with_body),
    Rule("speaker.noun_phrase", "Harbor master Ines Roca said the channel was closed.", _noun_phrase),
    Rule("speaker.bare_noun", "The farmers union says the new rules will ruin small farms.", _bare_noun),
    Rule("speaker.possessed_plural", "Mayor Ruiz's confidants say the race is close.", _possessed_plural),
])


def _appositive_phrase(text: str, toks: list[Token], j: int, lo: int) -> Phrase | None:
    """The phrase before the appositive that ends at the comma `j`: "Ali Baraka, a senior Hamas official,"."""
    # "Ali Baraka, a senior Hamas official, said": the name before the appositive speaks
    k = j - 1
    while k > lo and toks[k].text not in (",", ".", ";", ":", "“", "”", "\"") and j - k < 26:
        k -= 1
        if toks[k].text == "," and k - 2 >= lo and toks[k - 1].text.isdigit() and toks[k - 2].text == ",":
            k -= 2  # "Roxana M. Leon, 63, an independent voter …": an age is no appositive
    if toks[k].text != "," or k + 1 >= j:
        return None
    lead = toks[k + 1]
    adjunct = lead.lower in _ADJUNCT_LEADS  # "Hillary Clinton, at a later press gaggle, said"
    if not (DET in lead.cls or TITLE in lead.cls or lead.is_cap or RELATIVE in lead.cls
            or lead.lower[:1].isdigit() or adjunct):
        return None  # "X, has defended …, insisting": not an appositive
    core = core_before(toks, k, lo)
    if core is None:
        # "a person familiar with the plans, who asked not to be named, said"
        m = _ANON.search(text, toks[lo].start, toks[k - 1].end) if k - 1 >= lo else None
        if m and m.end() == toks[k - 1].end:
            first = next(x for x in range(lo, k) if toks[x].start >= m.start())
            return Phrase(_skip_conjunctions(toks, first, k), k, None)
    inner = toks[k + 1:j]
    if inner and DET in inner[0].cls and 2 <= len(inner) <= 7 and all(x.is_cap for x in inner[1:]) \
            and _is_body(text, inner):
        return Phrase(k + 1, j)  # "The insurers' trade group, the Coastal Health Plans Association, warned"
    named = inner and len(inner) <= 4 and all(t.is_cap and FUNCTION_CAP not in t.cls
                                              and not _PARTY.match(t.text) for t in inner)
    if named and (core or (k - 1 >= lo and toks[k - 1].text.isalpha())):
        # "One Republican hopeful, Carly Fiorina, says": the name is the appositive
        if core is None or toks[core[1] - 1].lower in ORGS:
            return Phrase(k + 1, j, None)
        return Phrase(k + 1, j, text[toks[core[0]].start:toks[core[1] - 1].end])
    if core and any(toks[x].is_cap for x in range(*core)) and core[1] - core[0] <= 10:
        keep = RELATIVE not in lead.cls and not adjunct and not _PARTY.match(lead.text)
        appositive = text[toks[k + 1].start:toks[j - 1].end] if keep else None
        return Phrase(core[0], core[1], appositive)
    return None


def _is_body(text: str, toks: list[Token]) -> bool:
    m = classify(text, toks)
    return m is not None and m.kind == "organization"


def _is_person(text: str, toks: list[Token], ph: Phrase) -> bool:
    m = classify(text, toks[ph.first:ph.end])
    return m is not None and m.kind == "person"


_APPOSITIVE_OPENERS = frozenset({",", "“", "”", "\"", "—", "(", "’", "'"})


def _name_before_appositives(text: str, toks: list[Token], j: int, lo: int) -> Phrase | None:
    """A name followed by several comma-separated appositives before its verb: "Harry Bond, 30, of Raleigh,
    N.C., who was polled, said", "Robert Peck, managing director at RBC, told"."""
    k = j - 1
    while k > lo and j - k < 32 and toks[k].text not in (".", ";", ":", "“", "”", "\""):
        k -= 1
        if toks[k].text != ",":
            continue
        core = core_before(toks, k, lo)
        if core is None or not (core[0] == lo or toks[core[0] - 1].text in _APPOSITIVE_OPENERS):
            continue
        if core[1] - core[0] > 6 or not _is_person(text, toks, Phrase(core[0], core[1], None)):
            continue
        lead = toks[k + 1]
        keep = DET in lead.cls or TITLE in lead.cls or any(ROLE in x.cls for x in toks[k + 1:j])
        return Phrase(core[0], core[1], text[lead.start:toks[j - 1].end] if keep and not lead.is_cap else None)
    return None


