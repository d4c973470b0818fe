"""The data passed between the attribution stages: a speaker phrase, a cue, and what was said."""

from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.offline.mentions import Mention


@dataclass(frozen=True, slots=True)
class Phrase:
    """A speaker phrase: tokens [first, end) of the text, and a title written beside it, if any
    ("Ali Baraka, a senior Hamas official," -> Ali Baraka with "a senior Hamas official")."""

    first: int
    end: int
    appositive: str | None = None


@dataclass(frozen=True, slots=True)
class Cue:
    """The words that attribute: a reporting verb (with an adjacent "he" or "told me"), "according to",
    a dash or a colon. Character offsets."""

    start: int
    end: int


@dataclass(slots=True)
class RawQuote:
    """What someone said (a quoted span or a reported clause), with the speaker phrase and cue beside it."""

    start: int
    end: int
    kind: str  # direct | indirect
    mention: Mention | None
    cue: Cue | None
    chain: RawQuote | None = None  # the direct quote this one continues
    partial: bool = False  # a phrase quoted inside someone's indirect speech
    appositive: str | None = None
    opens_sentence: bool = True  # starts its sentence (a floating quote) rather than sitting inside one
    claim_only: bool = False  # a stance ("X blames Y for Z"): attributes a claim, is shown as no quote
    via: Mention | None = None  # who relayed it: "Reuters reported that officials said …" (officials via Reuters)


@dataclass(slots=True)
class Attribution:
    """Who a direct quote is attributed to, as written beside it."""

    mention: Mention
    cue: Cue | None
    appositive: str | None = None
    partial: bool = False  # other words stand between the cue and the quote: a phrase quoted inside a report
