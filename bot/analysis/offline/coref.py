"""Stage 5, resolution: who a speaker phrase stands for.

`People` remembers every person named in the article, so that later mentions ("Putin", "Mr. Putin",
"he", "the senator") resolve to the full name; "they" and "it" look back for a group or a body. The
layouts are the rules of stage "resolution", tried in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis.model import Speaker
from bot.analysis.offline.acronyms import expand
from bot.analysis.offline.cues import is_verb, verbs
from bot.analysis.offline.doc import FUNCTION_CAP, ORG, PLACE, Doc
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import (
    DEMONYMS,
    DOCUMENTS,
    GROUPS,
    ORGS,
    PLACES,
    ROLES,
    UNNAMED,
    Mention,
    classify,
    is_given_name,
    strip_possessive,
)
from bot.analysis.offline.noun_phrases import compound_start, core_before
from bot.analysis.offline.people import People, _Person
from bot.analysis.offline.rules import STOP, Rule, decide, hit, stage

UNIDENTIFIED = Speaker(name="unidentified speaker", kind="unnamed")


# "the source", "the official": someone the article does not name, not a named person seen again
_ANONYMOUS_HEADS = words("mention_words", "anonymous_head")
ANTECEDENT_SENTENCES = 2  # "they"/"it" look back this many sentences before their own for a plural or a body


_QUANTIFIERS = words("function_words", "quantifier_pronoun")


def _antecedent(doc: Doc, pos: int, pronoun: str, quoted: list[tuple[int, int]]) -> Speaker | None:
    """The nearest noun phrase before `pos` that "they" (a group: "U.S. officials", "critics") or "it" (a
    body or a document: "the Congressional Budget Office", "the report") can stand for."""
    t = doc.toks
    si = doc.sentence_index(pos)
    lo_sent = doc.sentences[max(0, si - ANTECEDENT_SENTENCES)] if doc.sentences else None
    floor = doc.tok_at(lo_sent.start) if lo_sent else 0
    found: list[tuple[Speaker, bool]] = []  # nearest first, with whether it is a preposition's object
    for k in range(doc.tok_at(pos) - 1, floor - 1, -1):
        low = strip_possessive(t[k].lower)
        if any(a <= t[k].start < b for a, b in quoted):
            continue
        if pronoun == "they":
            plural = low in GROUPS or (low.endswith(("ists", "ians", "ants")) and len(low) > 6)
            opens = k == doc.tok_at(doc.sentences[doc.sentence_index(t[k].start)].start) if doc.sentences else False
            hit = plural and low not in _QUANTIFIERS and (t[k].text[:1].islower() or opens)
        else:
            hit = (low in ORGS and (t[k].is_cap or (k > 0 and t[k - 1].lower == "the"))) or t[k].text in doc.acronyms \
                or (low in DOCUMENTS and any(t[x].lower in ("the", "a", "an", "its", "their")
                                             for x in range(max(0, k - 3), k)))  # "The Japanese constitution"
        if not hit or (k + 1 < len(t) and t[k + 1].is_cap and ORG in t[k + 1].cls):
            continue
        s_lo = doc.tok_at(doc.sentences[doc.sentence_index(t[k].start)].start) if doc.sentences else 0
        core = core_before(t, k + 1, s_lo) or (k, k + 1)
        first = compound_start(t, core[0], s_lo)
        m = classify(doc.text, t[first:core[1]])
        sp = None
        if m is None and pronoun == "they":
            while first > s_lo and t[first - 1].is_cap and FUNCTION_CAP not in t[first - 1].cls:
                first -= 1  # "Democratic politicians"
            sp = Speaker(name=doc.text[t[first].start:t[k].end], kind="group")
        elif m is not None and pronoun == "they" and m.kind in ("group", "organization", "unnamed"):
            sp = Speaker(name=m.name, kind="group")
        elif m is not None and pronoun == "it" and m.kind == "organization":
            sp = Speaker(name=m.name, kind="organization")
        if sp is not None:
            obj = first > 0 and t[first - 1].lower in _PREPOSITIONS
            found.append((sp, obj))
    # "They examined the experience of American workers. … they found": a subject, not an object
    return next((sp for sp, obj in found if not obj), found[0][0] if found else None)


def _role_antecedent(doc: Doc, pos: int, quoted: list[tuple[int, int]]) -> Speaker | None:
    """A he/she with no named person before it: the unnamed role that opens a recent clause ("the head of
    the RNC's rules committee has accused … a change that he said …")."""
    t = doc.toks
    si = doc.sentence_index(pos)
    floor = doc.tok_at(doc.sentences[max(0, si - 1)].start) if doc.sentences else 0
    for k in range(doc.tok_at(pos) - 1, floor, -1):
        low = t[k].lower
        if (low in ROLES or low in UNNAMED) and t[k].text.islower() and t[k - 1].lower in ("the", "a", "an") \
                and not any(a <= t[k].start < b for a, b in quoted):
            e = k + 1
            while e < min(len(t), k + 10) and t[e].text not in (",", ".", ";", ":", "(", "—") \
                    and t[e].lower not in _CLAUSE_WORDS and not is_verb(t[e]):
                e += 1
            return Speaker(name=doc.text[t[k - 1].start:t[e - 1].end], kind="unnamed")
    return None


_CLAUSE_WORDS = words("function_words", "clause_word")
_PREPOSITIONS = words("function_words", "prep_object")


def resolve(m: Mention, pos: int, people: People, last: Speaker | None, recent: list[Speaker],
            appositive: str | None, doc: Doc, quoted: list[tuple[int, int]], last_pos: int,
            span: tuple[int, int] = (0, 0)) -> Speaker | None:
    """The speaker a mention stands for, by the first rule of stage "resolution" that decides; None for the
    author's own voice (no quote)."""
    return decide(RESOLUTION_RULES, Resolving(m, pos, people, last, recent, appositive, doc, quoted, last_pos, span))


@dataclass(slots=True)
class Resolving:
    m: Mention
    pos: int  # where the mention is
    people: People
    last: Speaker | None  # the speaker of the quote before
    recent: list[Speaker]  # every speaker so far
    appositive: str | None
    doc: Doc
    quoted: list[tuple[int, int]]  # direct quotes: names inside them are no antecedents
    last_pos: int  # where the quote before was attributed
    span: tuple[int, int]  # the words attributed

    def preferred(self) -> _Person | None:
        return self.people.lookup(self.last.name) if self.last is not None and self.last.kind == "person" else None


def _author(r: Resolving) -> object:
    return STOP if r.m.kind == "author" else None


def _acronym_expansion(r: Resolving) -> Speaker | None:
    """"The World Health Organization (WHO) … The WHO said": one source, named by its expansion."""
    if r.m.kind not in ("person", "organization", "unnamed"):
        return None
    name = expand(r.doc.acronyms, r.m.name)
    return Speaker(name=name, kind="organization") if name else None


def _known_surname(r: Resolving) -> None:
    m = r.m
    if m.kind == "organization" and " " not in m.name and r.people.lookup(m.name, r.pos) is not None:
        r.m = Mention("person", m.name, m.title, m.start, m.end, m.gender)
        hit("resolution.known_surname")
    return None  # the mention is read again by the rules after this one


def _acronym(r: Resolving) -> None:
    m = r.m
    known = r.people.lookup(m.name, r.pos) if m.kind == "person" and " " not in m.name and m.name.isupper() else None
    if m.kind == "person" and " " not in m.name and m.name.isupper() and (
            known is None or (" " not in known.name and not known.title)):
        r.m = Mention("organization", m.name, m.title, m.start, m.end)
        hit("resolution.acronym")
    return None


def _lone_body(r: Resolving) -> None:
    """"Lexus said", "PolitiFact said", "Norway said": one capitalised word the article never gives as a
    person's name (no given name, no title) that is a known company, outlet or place, or written in
    CamelCase, is an organisation."""
    m = r.m
    if m.kind != "person" or " " in m.name or m.title or r.appositive:
        return None
    name = strip_possessive(m.name)
    known = r.people.lookup(name, r.pos)
    if known is not None and (" " in known.name or known.title):
        return None
    if name.lower() in _LONE_BODIES or name.lower() in PLACES or _CAMEL.search(name):
        r.m = Mention("organization", name, None, m.start, m.end)
        hit("resolution.lone_body")
    return None


_LONE_BODIES = words("mention_words", "lone_body")
# an inner capital after a lower-case letter, not a name prefix: "PolitiFact", "BuzzFeed" (not "McCain", "DeSantis")
_CAMEL = re.compile(r"^(?!Mc|Mac|De|Di|Da|La|Le|Van|Von|Du)[A-Z][a-z]+[A-Z]|^[A-Z]{2,}[a-z]{2,}")


def _demonym_adjective(r: Resolving) -> Speaker | None:
    m = r.m
    if m.kind == "person" and m.name.lower() in DEMONYMS and r.people.lookup(m.name, r.pos) is None:
        return UNIDENTIFIED
    return None


def _person(r: Resolving) -> Speaker | None:
    m = r.m
    if m.kind != "person":
        return None
    full = r.people.add(m.name, m.title or r.appositive, r.pos, m.gender)
    p = r.people.lookup(full)
    return Speaker(name=full, title=(p.title if p else None) or m.title or r.appositive, kind="person")


def _he_she(r: Resolving) -> Speaker | None:
    m = r.m
    if m.kind != "pronoun" or m.name not in ("he", "she"):
        return None
    gender = "f" if m.name == "she" else "m"
    p = r.people.pronoun(r.pos, gender, r.preferred(), skip=r.span)
    if p is not None:
        p.gender = p.gender or gender  # later pronouns can rely on it
        r.people.add(p.name, None, r.pos, None)  # and the person stays the one in focus
        return Speaker(name=p.name, title=p.title, kind="person")
    return _role_antecedent(r.doc, r.pos, r.quoted) or UNIDENTIFIED


def _it_they(r: Resolving) -> Speaker | None:
    m, last, doc = r.m, r.last, r.doc
    if m.kind != "pronoun":
        return None
    want = ("organization",) if m.name == "it" else ("group", "organization")
    if last is not None and last.kind in want and doc.sentence_index(r.pos) - doc.sentence_index(r.last_pos) <= 1:
        return last
    found = _antecedent(doc, r.pos, m.name, r.quoted)
    if found is not None:
        name = expand(doc.acronyms, found.name)
        return Speaker(name=name, kind=found.kind) if name else found
    return next((s for s in reversed(r.recent) if s.kind in want), UNIDENTIFIED)  # never a bare pronoun


def _document_issuer(r: Resolving) -> Speaker | None:
    """"Her statement read: …", "his letter said …": the person who issued the document speaks through it."""
    m = r.m
    words_ = m.name.lower().split()
    if m.kind not in ("unnamed", "organization") or len(words_) < 2 or words_[0] not in ("his", "her", "their") \
            or words_[1] not in DOCUMENTS:
        return None
    if words_[0] == "their":  # "their statement": the group named just before ("the family of Marcus Dill")
        return _antecedent(r.doc, r.pos, "they", r.quoted)
    gender = "f" if words_[0] == "her" else "m"
    p = r.people.pronoun(r.pos, gender, r.preferred())
    return Speaker(name=p.name, title=p.title, kind="person") if p is not None else None


def _role_words(m: Mention) -> list[str]:
    return [strip_possessive(w.lower()) for w in m.name.split()]


def _role_by_title(r: Resolving) -> Speaker | None:
    if r.m.kind != "role":
        return None
    words_ = _role_words(r.m)
    for w in [words_[-1]] + [w for w in words_[:-1] if w in ROLES]:
        p = r.people.by_title(w, r.pos)
        if p is not None:
            return Speaker(name=p.name, title=p.title, kind="person")
    return None


def _role_in_focus(r: Resolving) -> Speaker | None:
    if r.m.kind != "role":
        return None
    head = _role_words(r.m)[-1]
    if head not in UNNAMED and head not in _ANONYMOUS_HEADS:
        p = r.people.pronoun(r.pos, r.m.gender, r.preferred())
        if p is not None:
            return Speaker(name=p.name, title=p.title, kind="person")
    return None


def _role_unnamed(r: Resolving) -> Speaker | None:
    return Speaker(name=r.m.name, kind="unnamed") if r.m.kind == "role" else None


def _common_body(r: Resolving) -> Speaker | None:
    m = r.m
    if m.kind == "organization" and m.name[:4].lower() == "the " and m.name.split()[-1].islower():
        for s in reversed(r.recent[-3:]):  # only a body quoted just before; older ones are a guess
            if s.kind == "organization" and s.name[:1].isupper():
                return s
        return _named_body_before(r)
    return None


def _named_body_before(r: Resolving) -> Speaker | None:
    """"Skylink Regional said … The airline said …": the subject of a recent sentence that is a name but no
    person's, when no body was quoted just before."""
    doc, t = r.doc, r.doc.toks
    si = doc.sentence_index(r.pos)
    for s in reversed(doc.sentences[max(0, si - 2):si]):
        lo, hi = doc.tok_at(s.start), doc.tok_at(s.end)
        k = doc.after_dateline(lo, hi)
        e = k
        while e < hi and t[e].is_cap and FUNCTION_CAP not in t[e].cls and e - k < 5:
            e += 1
        if e - k < 2 or (e < hi and not t[e].text.islower()):
            continue
        name = doc.text[t[k].start:t[e - 1].end]
        run = t[k:e]
        if is_given_name(t[k].text) or r.people.lookup(name, r.pos) is not None or doc.para_index(s.start) == 0 \
                or any(x.lower.endswith(("'s", "’s")) or PLACE in x.cls or x.lower in verbs() for x in run):
            continue  # a person, a headline, "Nega's Coalition", "West Virginia", "U.S. Nominates …"
        return Speaker(name=name, kind="organization")
    return None


def _as_written(r: Resolving) -> Speaker:
    m = r.m
    return Speaker(name=m.name, title=r.appositive if m.kind in ("unnamed", "organization") else None, kind=m.kind)


RESOLUTION_RULES = stage("resolution", [
    Rule("resolution.author", "“We will win,” I said to the crowd.", _author),
    Rule("resolution.acronym_expansion", "The Harbor Safety Board (HSB) met on Monday. The HSB said the pier "
         "was safe.", _acronym_expansion),
    Rule("resolution.known_surname", "Michael Bloomberg spoke first. Bloomberg said the tax was fair.", _known_surname),
    Rule("resolution.acronym", "HP said the printers would ship in March.", _acronym),
    Rule("resolution.lone_body", "Lexus said its new convertible would go on sale in the spring.", _lone_body),
    Rule("resolution.demonym_adjective", "The deal would calm Russian fears, reassuring Moscow that it was safe, "
         "the envoy said.", _demonym_adjective),
    Rule("resolution.person", "Finance Minister Lena Vos said the budget was balanced.", _person),
    Rule("resolution.he_she", "Lena Vos spoke in Riga. “The budget is balanced,” she said.", _he_she),
    Rule("resolution.it_they", "The Harbor Board met on Monday. It said the pier would close.", _it_they),
    Rule("resolution.document_issuer", "Lena Vos resigned on Friday. Her statement said the budget was balanced.",
         _document_issuer),
    Rule("resolution.role_by_title", "Sen. Ada Park spoke first. The senator said the bill would pass.",
         _role_by_title),
    Rule("resolution.role_in_focus", "Ada Park toured the plant. The candidate said jobs would return.",
         _role_in_focus),
    Rule("resolution.role_unnamed", "The spokesman said the store would reopen.", _role_unnamed),
    Rule("resolution.common_body", "Harbor Foods Inc. said its sales rose sharply. The company said prices would hold.",
         _common_body),
    Rule("resolution.as_written", "Some voters in her state say the roads are poor.", _as_written),
])
