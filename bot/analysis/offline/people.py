"""Every person an article names, and where: `People` resolves a surname, a title ("the senator") or a
pronoun to the full name of someone the article introduced, respecting gender and grammatical role.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.analysis.offline.lexicon import sections
from bot.analysis.offline.mentions import _given_name_gender, strip_possessive

# "the congressman" refers back to "Rep. Adam Schiff", "the senator" to "Sen. Claire McCaskill".
_TITLE_ALIASES = {e.split()[0]: frozenset(e.split()[1:]) for e in sections("titles").get("alias", ())}


@dataclass(slots=True)
class _Person:
    name: str
    title: str | None
    gender: str | None


@dataclass
class People:
    """Every person named so far, and where: resolves surnames, titles and pronouns to full names."""

    people: list[_Person] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # mention offsets, sorted
    mention_of: list[int] = field(default_factory=list)  # person index per mention
    subject: list[bool] = field(default_factory=list)  # whether that mention looks like a subject
    main: list[bool] = field(default_factory=list)  # whether it opens its sentence's main clause
    sentence_of: Callable[[int], int] | None = None  # offset -> sentence index, when known

    def _find(self, name: str, pos: int | None = None, gender: str | None = None) -> int | None:
        """The person `name` refers to. A surname shared by two people ("Chris Murphy", "Anne Marie
        Murphy") means the one mentioned last before `pos`; "Mrs. Clinton" is not Bill Clinton."""
        parts = name.split()
        last = strip_possessive(parts[-1]).lower()
        hits: list[int] = []
        for i in range(len(self.people) - 1, -1, -1):
            p = self.people[i]
            pp = p.name.split()
            if gender and p.gender and p.gender != gender:
                continue  # "Mr. Trump" is not the "Mrs. Trump" of the sentence before
            if p.name.lower() == name.lower():
                return i
            if len(parts) == 1 and (pp[-1].lower() == last or pp[0].lower() == last):
                hits.append(i)
            elif len(parts) > 1 and len(pp) == 1 and pp[0].lower() == last and not hits:
                p.name = name  # a surname seen first, the full name later: keep the full name
                return i
        if len(hits) > 1 and pos is not None:
            k = bisect.bisect_left(self.positions, pos)
            for m in range(k - 1, -1, -1):
                if self.mention_of[m] in hits:
                    return self.mention_of[m]
            return hits[-1]  # none mentioned yet: the one introduced first
        return hits[0] if hits else None

    def add(self, name: str, title: str | None, pos: int, gender: str | None, subject: bool = True,
            main: bool = False) -> str:
        """Record a person mention at `pos`; return the full name it resolves to."""
        name = strip_possessive(name)
        gender = gender or _given_name_gender(name)
        i = self._find(name, pos, gender)
        if i is None:
            self.people.append(_Person(name, title, gender))
            i = len(self.people) - 1
        else:
            p = self.people[i]
            p.title = p.title or title
            p.gender = p.gender or gender
        k = bisect.bisect_right(self.positions, pos)
        if k > 0 and self.positions[k - 1] == pos:
            self.subject[k - 1] = self.subject[k - 1] or subject  # a speaker is the subject of speaking
            self.main[k - 1] = self.main[k - 1] or main
        else:
            self.positions.insert(k, pos)
            self.mention_of.insert(k, i)
            self.subject.insert(k, subject)
            self.main.insert(k, main)
        return self.people[i].name

    def lookup(self, name: str, pos: int | None = None) -> _Person | None:
        i = self._find(strip_possessive(name), pos)
        return self.people[i] if i is not None else None

    def by_title(self, title_head: str, pos: int) -> _Person | None:
        """The latest person before `pos` whose title has this head word ("the senator")."""
        k = bisect.bisect_left(self.positions, pos)
        heads = _TITLE_ALIASES.get(title_head, frozenset()) | {title_head}
        for m in range(k - 1, -1, -1):
            p = self.people[self.mention_of[m]]
            if p.title and heads & set(p.title.lower().split()):
                return p
        return None

    def pronoun(self, pos: int, gender: str | None, preferred: _Person | None = None,
                window: int = 600, skip: tuple[int, int] = (0, 0)) -> _Person | None:
        """The person a he/she at `pos` most likely means: the latest subject-like mention nearby that
        fits the pronoun's gender — or, when that sentence opens with someone else who fits, that opener
        ("Levin dismissed concerns … even though Sanders won. “…,” he said": Levin) — else `preferred`
        (the last speaker), else the latest mention."""
        k = bisect.bisect_left(self.positions, pos)
        fallback = None
        for m in range(k - 1, -1, -1):
            p = self.people[self.mention_of[m]]
            if gender and p.gender and p.gender != gender or skip[0] <= self.positions[m] < skip[1]:
                continue  # another gender, or named inside the words attributed ("Also, Trump isn't …, he said")
            if fallback is None:
                fallback = p
            if pos - self.positions[m] > window:
                break
            if self.subject[m]:
                return self._sentence_opener(m, gender) or p
        if preferred is not None and not (gender and preferred.gender and preferred.gender != gender):
            return preferred
        return fallback

    def _sentence_opener(self, m: int, gender: str | None) -> _Person | None:
        if self.sentence_of is None or self.main[m]:
            return None
        sent = self.sentence_of(self.positions[m])
        for x in range(m - 1, -1, -1):
            if self.sentence_of(self.positions[x]) != sent:
                return None
            p = self.people[self.mention_of[x]]
            if self.main[x] and self.mention_of[x] != self.mention_of[m] \
                    and not (gender and p.gender and p.gender != gender):
                return p
        return None
