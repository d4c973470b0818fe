"""Every person the article names, found before any quote is read, so that a later surname or pronoun
can be resolved to someone who was introduced without being quoted ("senior Hamas official Ali Baraka
praised Russia … “…,” he said")."""

from __future__ import annotations

import bisect

from bot.analysis.offline.cues import verbs
from bot.analysis.offline.direct_quotes import MAX_TITLE_WORDS
from bot.analysis.offline.doc import FUNCTION_CAP, HONORIFIC, ORG, PLACE, ROLE, TITLE, Doc, Token
from bot.analysis.offline.lexicon import words
from bot.analysis.offline.mentions import (
    DEMONYMS,
    FUNCTION_CAPS,
    HONORIFICS,
    NOT_AGENTS,
    ROLES,
    TITLE_WORDS,
    gender_of,
    is_given_name,
    is_name_word,
    strip_possessive,
    surname_is_title,
    surname_like_org,
)
from bot.analysis.offline.people import People
from bot.analysis.offline.quote_marks import find_spans
from bot.analysis.offline.subjects import main_clause_start

_SUBJECT_BEFORE = frozenset({",", "and", "but", "while", "when", "as", "because", "if", "so", "“", "\"",
                             "—", "(", ":", ";", "although", "though", "since", "after", "before"})


def _role_like(t: Token) -> bool:
    """A lower-case agent noun right before a name reads as its title ("nurse practitioner James Okafor")."""
    return t.text.islower() and len(t.text) > 4 and t.text.endswith(_ROLE_ENDINGS) and t.lower not in NOT_AGENTS


_ROLE_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "ess")


def _appositive_title(doc: Doc, j: int) -> str | None:
    """"John Smith, the union leader," -> "the union leader": a short appositive that names a role."""
    t = doc.toks
    if j + 2 >= len(t) or t[j].text != "," or t[j + 1].lower not in ("the", "a", "an", "its", "his", "her"):
        return None
    k = j + 1
    while k < len(t) and t[k].text not in (",", ".", ";", ":", "—", "(", "“", "”") and k - j < 9:
        k += 1
    if k >= len(t) or t[k].text not in (",", ".") or k - j >= 9:
        return None
    words = t[j + 1:k]
    if not any(ROLE in w.cls or _role_like(w) for w in words):
        return None
    return doc.text[words[0].start:words[-1].end]


def scan_people(doc: Doc, quoted: list[tuple[int, int]] = (), known: frozenset[str] = frozenset()) -> People:
    """People with every mention of a full name (two or more name words, or a title and a surname), and of
    a single name in `known` (people quoted by one name only: "Melanie said"). Names inside `quoted` spans
    are skipped: "“I would, Donald,” she said" mentions Donald but is not about him."""
    people = People(sentence_of=doc.sentence_index)
    t = doc.toks
    n = len(t)
    main_starts: dict[int, int | None] = {}

    def opens_main(k: int) -> bool:
        """Whether a mention starting at token k opens its sentence's main clause."""
        si = doc.sentence_index(t[k].start)
        if si not in main_starts:
            lo, hi = doc.sentence_tokens(t[k].start)
            main_starts[si] = main_clause_start(t, doc.after_dateline(lo, hi), hi)
        return main_starts[si] == k

    headline = _headline_paragraphs(doc)
    titles = _quoted_titles(doc)
    spans = sorted(quoted)
    starts = [a for a, _ in spans]
    i = 0
    while i < n:
        q = bisect.bisect_right(starts, t[i].start) - 1
        if q >= 0 and spans[q][0] <= t[i].start < spans[q][1]:
            i = doc.tok_at(spans[q][1])  # skip the quotation
            continue
        if t[i].lower == "the" and i + 1 < n and strip_possessive(t[i + 1].lower) in ROLES:
            # "the president", "the senator's": the person last named with that title
            p = people.by_title(strip_possessive(t[i + 1].lower), t[i].start)
            if p is not None:
                prev = t[i - 1].text.lower() if i > 0 else ""
                subject = i == 0 or prev in _SUBJECT_BEFORE or doc.sentence_tokens(t[i].start)[0] == i
                people.add(p.name, None, t[i].start, None, subject=subject, main=opens_main(i))
            i += 2
            continue
        if not is_name_word(t[i]) or ORG in t[i].cls or PLACE in t[i].cls or TITLE in t[i].cls:
            i += 1
            continue
        j = i
        while j < n and is_name_word(t[j]) and TITLE not in t[j].cls and j - i < 4 \
                and (j == i or doc.text[t[j - 1].end:t[j].start] in ("", " ")):
            j += 1
        if j < n and j - i < 4 and surname_is_title(t, j) and not (j + 1 < n and is_name_word(t[j + 1])):
            j += 1  # "Amy Pope", "Peter T. King"
        run = t[i:j]
        if (any(ORG in x.cls or PLACE in x.cls for x in run) and not surname_like_org(run)) \
                or FUNCTION_CAP in run[-1].cls or (run[-1].lower in DEMONYMS and run[-1].lower.endswith("s")):
            i = max(j, i + 1)
            continue
        # titles written in front: "Russian President", "senior Hamas official", "Mr."
        k, seen_role = i, False
        while k > 0 and i - k < 6:
            p = t[k - 1]
            low = p.lower
            if low == "of" and k - 2 >= 0 and ROLE in t[k - 2].cls and k < i:
                pass  # "Secretary of State John Kerry"
            elif low in TITLE_WORDS or low in HONORIFICS or (k == i and _role_like(p)):
                seen_role = seen_role or low in ROLES or low in HONORIFICS or _role_like(p)
            elif not (seen_role and (p.is_cap and low not in FUNCTION_CAPS and p.text[0].isalpha()
                                     or low.endswith(("’s", "'s")))):
                break
            k -= 1
        titled = k < i
        apposition = _appositive_title(doc, j) if not titled and len(run) >= 2 else None
        if _not_a_person(doc, i, j, headline, titled) or any(a <= t[i].start < b for a, b in titles):
            i = max(j, i + 1)
            continue
        if len(run) >= 2 or titled:
            title_toks = [x for x in t[k:i] if HONORIFIC not in x.cls]
            title = doc.text[title_toks[0].start:title_toks[-1].end] if title_toks else apposition
            name = doc.text[run[0].start:run[-1].end]
            prev = t[k - 1].text.lower() if k > 0 else ""
            # "Earhardt then asked Rubio which states …": Rubio answers next; "As for Trump, he said …": the topic
            asked = prev in _ASKING or (prev == "for" and k >= 2 and t[k - 2].lower == "as")
            owner = run[-1].lower.endswith(("’s", "'s", "s’", "s'"))  # "Sanders's campaign manager, Jeff Weaver"
            subject = k == 0 or prev in _SUBJECT_BEFORE or doc.sentence_tokens(t[k].start)[0] == k \
                or _verb_follows(t, j) or asked
            people.add(name, title, run[0].start, gender_of(t[k:i], name), subject=subject,
                       main=not owner and (opens_main(k) or asked))
        elif len(run) == 1 and not run[0].text.isupper() and run[0].lower not in DEMONYMS and (run[0].text in known
                                                              or people.lookup(run[0].text) is not None):
            prev = t[i - 1].text.lower() if i > 0 else ""
            asked = prev in _ASKING or (prev == "for" and i >= 2 and t[i - 2].lower == "as")
            owner = run[0].lower.endswith(("’s", "'s", "s’", "s'"))
            subject = i == 0 or prev in _SUBJECT_BEFORE or doc.sentence_tokens(t[i].start)[0] == i \
                or _verb_follows(t, j) or asked
            people.add(run[0].text, None, run[0].start, None, subject=subject,
                       main=not owner and (opens_main(i) or asked))
        i = max(j, i + 1)
    _learn_genders(doc, people, spans, starts)
    return people


_ASKING = words("layout_words", "asking")
_AUXILIARIES = words("function_words", "auxiliary")


def _verb_follows(t: list, j: int) -> bool:
    """"Billie Jean King remembered …": a name right before its verb is that verb's subject."""
    if j >= len(t) or not t[j].text.islower():
        return False
    low = t[j].lower
    return low in _AUXILIARIES or low in verbs() or (low.endswith("ed") and len(low) > 4)


_OPEN_MARKS = frozenset({"“", "\"", "‘", "'"})
_CLOSE_MARKS = frozenset({"”", "\"", "’", "'"})
_POSSESSIVE_DETS = words("function_words", "possessive_det")


def _not_a_person(doc: Doc, i: int, j: int, headline: set[int], titled: bool) -> bool:
    """A capitalised run that names a show, a product or a headline, not a person: “Morning Joe”, “its
    Safety Check tool”, a title-case headline."""
    t = doc.toks
    if doc.para_index(t[i].start) in headline and not is_given_name(t[i].text):
        return True
    if titled:
        return False
    if i > 0 and t[i - 1].text in _OPEN_MARKS and j < len(t) and (t[j].text in _CLOSE_MARKS or (
            t[j].text in ",." and j + 1 < len(t) and t[j + 1].text in _CLOSE_MARKS)):
        return True
    return i > 0 and t[i - 1].lower in _POSSESSIVE_DETS and not is_given_name(t[i].text)


def _quoted_titles(doc: Doc) -> list[tuple[int, int]]:
    """Short quoted phrases: names of works and shows (''Monday Night Baseball'', “Morning Joe”) and scare
    quotes (''core Al Qaeda''); a name inside one is no antecedent."""
    out = []
    for sp in find_spans(doc.text):
        content = doc.text[sp.start:sp.end]
        if len(content.split()) <= MAX_TITLE_WORDS:
            out.append((sp.start, sp.end))
    return out


def _headline_paragraphs(doc: Doc) -> set[int]:
    """Paragraphs written in title case (a headline, a deck): most words capitalised."""
    out: set[int] = set()
    for pi, (a, b) in enumerate(doc.paras[:3]):
        words = [w for w in doc.text[a:b].split() if w[:1].isalpha()]
        if len(words) >= 4 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words):
            out.add(pi)
    return out


def _learn_genders(doc: Doc, people: People, spans: list[tuple[int, int]], starts: list[int]) -> None:
    """"Murphy spoke first. He was joined by …": a sentence opening with He/She tells the gender of the
    one who opened the sentence before."""
    t = doc.toks
    for idx, tok in enumerate(t):
        if tok.text not in ("He", "She"):
            continue
        lo, _ = doc.sentence_tokens(tok.start)
        q = bisect.bisect_right(starts, tok.start) - 1
        if idx != lo or (q >= 0 and spans[q][0] <= tok.start < spans[q][1]):
            continue  # only a sentence of the article's own, not one inside a quote
        si = doc.sentence_index(tok.start)
        if si == 0:
            continue
        prev = doc.sentences[si - 1]
        k0 = bisect.bisect_left(people.positions, prev.start)
        k1 = bisect.bisect_left(people.positions, prev.end)
        cands = [m for m in range(k0, k1) if people.main[m]] or [m for m in range(k0, k1) if people.subject[m]]
        persons = {people.mention_of[m] for m in cands}
        if len(persons) == 1:
            p = people.people[persons.pop()]
            p.gender = p.gender or ("m" if tok.text == "He" else "f")
