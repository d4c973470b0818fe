"""The model's answer, schema v1 (documented in prompts/README.md): pydantic model and strict JSON schema.

The pydantic model validates whatever the server returns (strict json_schema or plain JSON mode); the JSON
schema is what we send as `response_format`. Both describe the same shape; a test keeps them in step.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

ANSWER_SCHEMA_VERSION = "v1"

DocKind = Literal["news", "opinion", "unknown"]
SourceKind = Literal["author", "person", "organization", "group", "unnamed"]
SpeakerKind = Literal["person", "organization", "group", "unnamed"]
QuoteKind = Literal["direct", "indirect"]
CueType = Literal["unverified", "reported", "anonymous", "hedge", "weasel"]


def _sentence_id(value: object) -> object:
    # Models echo the prompt's numbering ("S4", "[S4]"); the number is what they mean.
    if isinstance(value, str):
        stripped = value.strip().strip("[]").strip()
        if stripped[:1] in ("S", "s") and stripped[1:].isdigit():
            return int(stripped[1:])
    return value


SentenceId = Annotated[int, BeforeValidator(_sentence_id)]


class _Item(BaseModel):
    # Compatible servers add stray keys; they are ignored rather than failing the whole answer.
    model_config = ConfigDict(extra="ignore")


class SummaryItemV1(_Item):
    text: str
    sentence_ids: list[SentenceId]


class ClaimV1(_Item):
    text: str
    sentence_ids: list[SentenceId]
    source: str
    source_kind: SourceKind = "person"  # JSON-mode servers may leave it out; "author" is read from source too


class QuoteV1(_Item):
    speaker: str
    speaker_title: str | None = None
    speaker_kind: SpeakerKind = "person"
    text: str
    kind: QuoteKind = "direct"  # the stricter check; verbatim words outside quote marks become indirect
    sentence_id: SentenceId


class FlagV1(_Item):
    sentence_id: SentenceId
    cue: str
    type: CueType


class AnswerV1(_Item):
    kind: DocKind = "unknown"
    summary: list[SummaryItemV1] = Field(default_factory=list)
    claims: list[ClaimV1] = Field(default_factory=list)
    quotes: list[QuoteV1] = Field(default_factory=list)
    flags: list[FlagV1] = Field(default_factory=list)


class MalformedAnswer(ValueError):
    """The model's answer is not JSON or does not fit schema v1."""


_KEYS = frozenset({"kind", "summary", "claims", "quotes", "flags"})


def _unwrap(data: object) -> object:
    """JSON-mode servers sometimes wrap the answer: `[{...}]` or `{"analysis": {...}}`."""
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if isinstance(data, dict) and not _KEYS.intersection(data) and len(data) == 1:
        inner = next(iter(data.values()))
        if isinstance(inner, dict) and _KEYS.intersection(inner):
            return inner
    return data


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL | re.IGNORECASE)


def parse_answer(content: str | None) -> AnswerV1:
    """Validate the model's message content; raises MalformedAnswer with a short reason."""
    if not content or not content.strip():
        raise MalformedAnswer("empty answer")
    m = _FENCE.match(content)  # some compatible servers wrap JSON mode output in a code fence
    raw = m.group(1) if m else content
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise MalformedAnswer(f"not JSON ({exc.msg} at char {exc.pos})") from None
    data = _unwrap(data)
    if not isinstance(data, dict):
        raise MalformedAnswer("answer is not a JSON object")
    if not _KEYS.intersection(data):
        raise MalformedAnswer("answer has none of the schema v1 keys")
    # JSON-mode servers write null for "nothing": an empty list, an unknown kind.
    data = {k: ([] if v is None and k != "kind" else v) for k, v in data.items() if not (k == "kind" and v is None)}
    try:
        return AnswerV1.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise MalformedAnswer(f"schema violation at {where}: {first.get('msg')}") from None


def _obj(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
        "additionalProperties": False,
    }


_STR = {"type": "string"}
_INT = {"type": "integer"}
_IDS = {"type": "array", "items": _INT}


def _enum(values: tuple[str, ...]) -> dict:
    return {"type": "string", "enum": list(values)}


def _args(lit: object) -> tuple[str, ...]:
    return tuple(lit.__args__)  # type: ignore[attr-defined]


# Strict structured outputs: every property required, no extras, nullable via a type list.
ANSWER_JSON_SCHEMA: dict = _obj(
    {
        "kind": _enum(_args(DocKind)),
        "summary": {"type": "array", "items": _obj({"text": _STR, "sentence_ids": _IDS})},
        "claims": {
            "type": "array",
            "items": _obj(
                {"text": _STR, "sentence_ids": _IDS, "source": _STR, "source_kind": _enum(_args(SourceKind))}
            ),
        },
        "quotes": {
            "type": "array",
            "items": _obj(
                {
                    "speaker": _STR,
                    "speaker_title": {"type": ["string", "null"]},
                    "speaker_kind": _enum(_args(SpeakerKind)),
                    "text": _STR,
                    "kind": _enum(_args(QuoteKind)),
                    "sentence_id": _INT,
                }
            ),
        },
        "flags": {
            "type": "array",
            "items": _obj({"sentence_id": _INT, "cue": _STR, "type": _enum(_args(CueType))}),
        },
    }
)


def response_format_json_schema() -> dict:
    return {
        "type": "json_schema",
        "json_schema": {"name": "newsbot_analysis_v1", "strict": True, "schema": ANSWER_JSON_SCHEMA},
    }


RESPONSE_FORMAT_JSON_OBJECT: dict = {"type": "json_object"}
