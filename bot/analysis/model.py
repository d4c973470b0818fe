"""The Analysis: the one source of truth for what newsbot says about an article.

Every start/end is a character offset into `Analysis.text`; every field is described in
docs/design.md ("The Analysis"); change both together.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "newsbot/analysis@1"

SourceKind = Literal["news", "opinion", "unknown"]
SpeakerKind = Literal["person", "organization", "group", "unnamed", "author"]
QuoteKind = Literal["direct", "indirect"]
CueType = Literal["unverified", "reported", "anonymous", "hedge", "weasel"]
FlagLevel = Literal["unconfirmed", "hedged"]
ClaimStatus = Literal["asserted", "attributed", "unconfirmed", "hedged"]

# Cue types whose presence makes a sentence "unconfirmed"; the rest make it "hedged".
UNCONFIRMED_TYPES: frozenset[str] = frozenset({"unverified", "reported", "anonymous"})


VIA_MAX = 40  # characters: a channel is shown beside its speaker only as one short phrase


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    url: str | None = None
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = "en"
    kind: SourceKind = "unknown"


class Sentence(_Model):
    id: int
    start: int
    end: int


class SummaryItem(_Model):
    text: str
    sentence_ids: list[int]


class Speaker(_Model):
    name: str
    title: str | None = None
    kind: SpeakerKind = "person"
    via: str | None = None  # who relayed the words: "Reuters reported that officials said …" -> "Reuters"

    def via_phrase(self) -> str:
        """" via Reuters" for relayed words, to follow the name; nothing when there is no channel or when it
        is no short phrase (VIA_MAX)."""
        via = " ".join((self.via or "").split())
        return f" via {via}" if via and len(via) <= VIA_MAX else ""


class Span(_Model):
    text: str
    start: int
    end: int


class Cue(_Model):
    text: str
    start: int
    end: int
    type: CueType


class Quote(_Model):
    speaker: Speaker
    text: str
    start: int
    end: int
    kind: QuoteKind
    sentence_id: int
    cue: Span | None = None


class Claim(_Model):
    id: str
    text: str
    sentence_ids: list[int]
    source: Speaker
    status: ClaimStatus
    cues: list[Cue] = Field(default_factory=list)


class Flag(_Model):
    sentence_id: int
    level: FlagLevel
    cues: list[Cue]


class Link(_Model):
    url: str
    text: str = ""


class Engine(_Model):
    name: Literal["offline", "openai"] = "offline"
    model: str | None = None
    version: str = "0.1.0"


class Usage(_Model):
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None


class Analysis(_Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    id: str | None = None
    source: Source = Field(default_factory=Source)
    text: str = ""
    sentences: list[Sentence] = Field(default_factory=list)
    summary: list[SummaryItem] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    engine: Engine = Field(default_factory=Engine)
    usage: Usage | None = None
    warnings: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)

    def to_dict(self) -> dict:
        return self.model_dump(by_alias=True, mode="json")

    @classmethod
    def from_json(cls, data: str) -> Analysis:
        return cls.model_validate_json(data)


class Article(_Model):
    """What fetching and extraction hand to an engine: the plain text and what is known about it."""

    text: str
    source: Source = Field(default_factory=Source)
    links: list[Link] = Field(default_factory=list)
    # Sentences for the reader about the text itself ("only the first 50 of 120 pages were read"); the
    # pipeline puts them first in the Analysis's warnings.
    warnings: list[str] = Field(default_factory=list)
