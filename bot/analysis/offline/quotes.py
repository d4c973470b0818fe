"""Direct and indirect quotes with their speakers, resolved to full names.

Three steps: direct quotes (direct_quotes.py) and indirect ones (indirect_quotes.py) each come with the
speaker phrase written next to them; then, in reading order, every phrase is resolved: a surname or a
"he" to the full name of the person the article introduced (speakers.People), "the senator" to the last
senator named, a quote with no phrase of its own to the speaker of the quote it continues.
"""

from __future__ import annotations

from bot.analysis.model import Quote, Sentence, Span, Speaker
from bot.analysis.offline.attribution import compound_start, core_before, is_verb
from bot.analysis.offline.direct_quotes import RawQuote, find_direct
from bot.analysis.offline.indirect_quotes import find_indirect
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.names import scan_people
from bot.analysis.offline.quote_doc import Doc
from bot.analysis.offline.speakers import (
    DEMONYMS,
    DOCUMENTS,
    FUNCTION_CAPS,
    GROUPS,
    ORGS,
    ROLES,
    UNNAMED,
    Mention,
    People,
    classify,
    strip_possessive,
)
from bot.analysis.sentences import sentence_at

INHERIT_PARAGRAPHS = 2  # a floating quote takes the last speaker from at most this many paragraphs back
PARTIAL_SHARE = 0.9  # share of an indirect clause a quoted phrase inside it must fill to replace it
LONE_QUOTE_WORDS = 12  # a quote inside a sentence, with nobody to tie it to, must be this long to count
UNIDENTIFIED = Speaker(name="unidentified speaker", kind="unnamed")
# Corpora in the PARC tradition (PolNeAR) annotate `"A," he said. "B."` as ONE quote spanning A to B;
# newsbot shows two, each without its marks. True merges them (PolNeAR dev direct F1 0.77 -> 0.85).
MERGE_INTERRUPTED = False
MERGE_GAP = 60  # characters of attribution between the two pieces


def find_quotes(text: str, sentences: list[Sentence]) -> list[Quote]:
    """Every direct and indirect quote in `text`, in order, each with its resolved speaker and cue."""
    if not text.strip():
        return []
    doc = Doc(text, sentences)
    direct = find_direct(doc)
    indirect = _drop_overlaps(find_indirect(doc, direct), direct)
    # a phrase quoted inside reported speech belongs to that indirect quote, unless it is most of it
    direct = [q for q in direct if not (q.partial and _inside_any(q, indirect))]
    known = frozenset(q.mention.name for q in direct + indirect
                      if q.mention is not None and q.mention.kind == "person" and " " not in q.mention.name)
    people = scan_people(doc, [(q.start, q.end) for q in direct], known)
    quotes = _resolve(doc, direct, indirect, people, sentences)
    return _merge_interrupted(text, quotes) if MERGE_INTERRUPTED else quotes


def _merge_interrupted(text: str, quotes: list[Quote]) -> list[Quote]:
    out: list[Quote] = []
    for q in quotes:
        p = out[-1] if out else None
        if p is not None and p.kind == q.kind == "direct" and p.speaker == q.speaker \
                and q.start - p.end <= MERGE_GAP and "\n" not in text[p.end:q.start]:
            out[-1] = p.model_copy(update={"end": q.end, "text": text[p.start:q.end], "cue": p.cue or q.cue})
        else:
            out.append(q)
    return out


def _inside_any(q: RawQuote, others: list[RawQuote]) -> bool:
    return any(o.start <= q.start and q.end <= o.end for o in others)


def _overlap(a: RawQuote, b: RawQuote) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _drop_overlaps(indirect: list[RawQuote], direct: list[RawQuote]) -> list[RawQuote]:
    """An indirect quote that is mostly a direct one is that direct quote; of two overlapping indirect
    quotes that are nearly the same keep the first (one nested in another is a second attribution)."""
    kept: list[RawQuote] = []
    for q in indirect:
        n = max(q.end - q.start, 1)
        # a partial quote inside reported speech stays part of it unless it is nearly all of it
        inside = [d for d in direct if _overlap(q, d) > (PARTIAL_SHARE if d.partial else 0.5) * n]
        if inside:
            d = inside[0]
            if d.mention is None and d.chain is None and q.mention is not None:
                # `"This will be a challenge" for Clinton, said Kunin.`: the report names the quote's speaker
                d.mention, d.cue, d.appositive = q.mention, q.cue, q.appositive
            continue
        if any(_overlap(q, k) > 0.5 * max(n, k.end - k.start) for k in kept):
            continue
        kept.append(q)
    return kept


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
            hit = (low in ORGS and (t[k].is_cap or (k > 0 and t[k - 1].lower == "the"))) \
                or (low in DOCUMENTS and any(t[x].lower in ("the", "a", "an", "its", "their")
                                             for x in range(max(0, k - 3), k)))  # "The Japanese constitution"
        if not hit or (k + 1 < len(t) and t[k + 1].is_cap and t[k + 1].lower in ORGS):
            continue
        s_lo = doc.tok_at(doc.sentences[doc.sentence_index(t[k].start)].start) if doc.sentences else 0
        core = core_before(t, k + 1, s_lo) or (k, k + 1)
        first = compound_start(t, core[0], s_lo)
        m = classify(doc.text, t[first:core[1]])
        sp = None
        if m is None and pronoun == "they":
            while first > s_lo and t[first - 1].is_cap and t[first - 1].lower not in FUNCTION_CAPS:
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


def _speaker(m: Mention, pos: int, people: People, last: Speaker | None, recent: list[Speaker],
             appositive: str | None, doc: Doc, quoted: list[tuple[int, int]], last_pos: int,
             span: tuple[int, int] = (0, 0)) -> Speaker | None:
    if m.kind == "author":
        return None
    if m.kind == "organization" and " " not in m.name and people.lookup(m.name, pos) is not None:
        m = Mention("person", m.name, m.title, m.start, m.end, m.gender)  # "Bloomberg said" after "Michael Bloomberg"
    if m.kind == "person" and " " not in m.name and m.name.isupper() and people.lookup(m.name, pos) is None:
        m = Mention("organization", m.name, m.title, m.start, m.end)  # "HP said": an acronym names a body
    if m.kind == "person" and m.name.lower() in DEMONYMS and people.lookup(m.name, pos) is None:
        return UNIDENTIFIED  # "calm Russian fears, reassuring …": an adjective, unless someone is named Cuban
    if m.kind == "person":
        full = people.add(m.name, m.title or appositive, pos, m.gender)
        p = people.lookup(full)
        return Speaker(name=full, title=(p.title if p else None) or m.title or appositive, kind="person")
    if m.kind == "pronoun":
        if m.name in ("he", "she"):
            preferred = None
            if last is not None and last.kind == "person":
                preferred = people.lookup(last.name)
            p = people.pronoun(pos, "f" if m.name == "she" else "m", preferred, skip=span)
            if p is not None:
                p.gender = p.gender or ("f" if m.name == "she" else "m")  # later pronouns can rely on it
                people.add(p.name, None, pos, None)  # and the person stays the one in focus
                return Speaker(name=p.name, title=p.title, kind="person")
            return _role_antecedent(doc, pos, quoted) or UNIDENTIFIED
        want = ("organization",) if m.name == "it" else ("group", "organization")
        if last is not None and last.kind in want and doc.sentence_index(pos) - doc.sentence_index(last_pos) <= 1:
            return last  # "Gulf Coast Refining said … It said …": the body quoted just before
        found = _antecedent(doc, pos, m.name, quoted)
        if found is not None:
            return found
        for s in reversed(recent):
            if s.kind in want:
                return s
        return UNIDENTIFIED  # never a bare pronoun
    if m.kind == "role":
        words_ = [strip_possessive(w.lower()) for w in m.name.split()]
        head = words_[-1]
        for w in [head] + [w for w in words_[:-1] if w in ROLES]:
            p = people.by_title(w, pos)  # "the senator", "the Florida senator and Republican candidate"
            if p is not None:
                return Speaker(name=p.name, title=p.title, kind="person")
        if head not in UNNAMED and head not in _ANONYMOUS_HEADS:
            # "the billionaire businessman", "the candidate": the person the article is about just then
            preferred = people.lookup(last.name) if last is not None and last.kind == "person" else None
            p = people.pronoun(pos, m.gender, preferred)
            if p is not None:
                return Speaker(name=p.name, title=p.title, kind="person")
        return Speaker(name=m.name, kind="unnamed")
    if m.kind == "organization" and m.name[:4].lower() == "the " and m.name.split()[-1].islower():
        # "the company", "the ministry": the body the article named last
        for s in reversed(recent[-3:]):  # only a body quoted just before; older ones are a guess
            if s.kind == "organization" and s.name[:1].isupper():
                return s
    return Speaker(name=m.name, title=appositive if m.kind in ("unnamed", "organization") else None, kind=m.kind)


def _resolve(doc: Doc, direct: list[RawQuote], indirect: list[RawQuote], people: People,
             sentences: list[Sentence]) -> list[Quote]:
    text = doc.text
    items = sorted(direct + indirect, key=lambda q: (q.start, q.end))
    speakers: dict[int, Speaker] = {}  # id(raw quote) -> speaker
    quoted = [(q.start, q.end) for q in direct]
    recent: list[Speaker] = []
    last_pos = -1
    out: list[Quote] = []
    for q in items:
        sp: Speaker | None = None
        pos = q.cue[0] if q.cue else q.start
        if q.chain is not None and id(q.chain) in speakers and q.mention is None:
            sp = speakers[id(q.chain)]
        elif q.mention is not None:
            sp = _speaker(q.mention, q.mention.start, people, recent[-1] if recent else None, recent,
                          q.appositive, doc, quoted, last_pos, (q.start, q.end))
            if sp is None:
                continue  # the author's own voice is no quote
        elif recent and doc.para_index(q.start) - doc.para_index(last_pos) <= INHERIT_PARAGRAPHS:
            sp = recent[-1]  # a paragraph that is only a quote goes on with the last speaker
        elif q.kind == "direct" and (q.opens_sentence or len(text[q.start:q.end].split()) >= LONE_QUOTE_WORDS):
            sp = UNIDENTIFIED  # someone's words, but the article does not say whose
        if sp is None:
            continue
        speakers[id(q)] = sp
        recent.append(sp)
        last_pos = pos
        cue = Span(text=text[q.cue[0]:q.cue[1]], start=q.cue[0], end=q.cue[1]) if q.cue else None
        out.append(Quote(speaker=sp, text=text[q.start:q.end], start=q.start, end=q.end, kind=q.kind,
                         sentence_id=sentence_at(sentences, q.start), cue=cue))
    return out
