"""The model's answer, schema v1 (documented in prompts/README.md): pydantic model and strict JSON schema.

The pydantic model validates whatever the server returns (strict json_schema or plain JSON mode); the JSON
schema is what we send as `response_format`. Both describe the same shape; a test keeps them in step.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError

from bot.analysis.llm_answer import ANSWER_KEYS, NotJSON, find_object

ANSWER_SCHEMA_VERSION = "v1"

DocKind = Literal["news", "opinion", "unknown"]
SourceKind = Literal["author", "person", "organization", "group", "unnamed"]
SpeakerKind = Literal["person", "organization", "group", "unnamed"]
QuoteKind = Literal["direct", "indirect"]
CueType = Literal["unverified", "reported", "anonymous", "hedge", "weasel"]


def _sentence_id(value: object) -> object:
    # Models echo the prompt's numbering ("S4", "[S4]") or wrap one id in a list ([4]); the number is meant.
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str):
        stripped = value.strip().strip("[]").strip()
        if stripped[:1] in ("S", "s"):
            stripped = stripped[1:]
        if stripped.isdigit():
            return int(stripped)
    return value


def _sentence_ids(value: object) -> object:
    # One id where a list is due (4, "S4"), or the ids in one string ("S4, S5").
    if isinstance(value, int | str) and not isinstance(value, bool):
        parts = [p for p in re.split(r"[,;\s]+", value) if p] if isinstance(value, str) else [value]
        return [_sentence_id(p) for p in parts]
    if isinstance(value, list):
        return [_sentence_id(v) for v in value]
    return value


SentenceId = Annotated[int, BeforeValidator(_sentence_id)]
SentenceIds = Annotated[list[int], BeforeValidator(_sentence_ids)]


class _Item(BaseModel):
    # Compatible servers add stray keys; they are ignored rather than failing the whole answer.
    model_config = ConfigDict(extra="ignore")


class SummaryItemV1(_Item):
    text: str
    sentence_ids: SentenceIds


class ClaimV1(_Item):
    text: str
    sentence_ids: SentenceIds
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
    # Items of the answer that did not fit schema v1, by reason (e.g. "quotes dropped: not valid (text:
    # Input should be a valid string)"): dropped one by one, counted in the Analysis warnings.
    _invalid: Counter[str] = PrivateAttr(default_factory=Counter)
    # The answer was cut off at the output limit; its last item (perhaps cut) was left out.
    _truncated: bool = PrivateAttr(default=False)

    @property
    def invalid(self) -> Counter[str]:
        return self._invalid

    @property
    def truncated(self) -> bool:
        return self._truncated


class MalformedAnswer(ValueError):
    """The model's answer is not JSON or does not fit schema v1; the message says why (and is told to
    the model when it is asked again)."""


_KEYS = ANSWER_KEYS
_ITEMS: dict[str, type[_Item]] = {"summary": SummaryItemV1, "claims": ClaimV1, "quotes": QuoteV1, "flags": FlagV1}
_ITEM_NAMES = {"summary": "summary lines", "claims": "claims", "quotes": "quotes", "flags": "flags"}

# Enum values as models write them: matched case-insensitively ("HEDGE", "Unconfirmed"), then through
# synonyms. Anything else drops the one item (or makes `kind` unknown), never the whole answer.
_SYNONYMS: dict[str, dict[str, str]] = {
    "kind": {"news report": "news", "report": "news", "news article": "news", "article": "news",
             "op-ed": "opinion", "oped": "opinion", "editorial": "opinion", "commentary": "opinion",
             "column": "opinion", "analysis": "opinion", "other": "unknown", "none": "unknown"},
    "speaker_kind": {"individual": "person", "people": "group", "official": "person", "organisation": "organization",
                     "org": "organization", "institution": "organization", "company": "organization",
                     "government": "organization", "agency": "organization", "anonymous": "unnamed",
                     "unknown": "unnamed", "unidentified": "unnamed", "anonymous source": "unnamed"},
    "source_kind": {"journalist": "author", "writer": "author", "reporter": "author", "article": "author"},
    "quote_kind": {"quote": "direct", "quotation": "direct", "verbatim": "direct", "direct quote": "direct",
                   "paraphrase": "indirect", "paraphrased": "indirect", "reported": "indirect",
                   "reported speech": "indirect", "indirect quote": "indirect"},
    "type": {"unconfirmed": "unverified", "unverifiable": "unverified", "uncertain": "unverified",
             "no evidence": "unverified", "alleged": "reported", "allegation": "reported", "claimed": "reported",
             "claim": "reported", "rumour": "reported", "rumor": "reported", "hearsay": "reported",
             "anonymous source": "anonymous", "unnamed": "anonymous", "unnamed source": "anonymous",
             "hedging": "hedge", "hedged": "hedge", "speculation": "hedge", "speculative": "hedge",
             "modal": "hedge", "uncertainty": "hedge", "weasel words": "weasel", "vague": "weasel",
             "vague attribution": "weasel"},
}
_SYNONYMS["source_kind"] = {**_SYNONYMS["speaker_kind"], **_SYNONYMS["source_kind"]}
_ENUM_FIELDS = {
    "summary": {},
    "claims": {"source_kind": ("source_kind", SourceKind)},
    "quotes": {"speaker_kind": ("speaker_kind", SpeakerKind), "kind": ("quote_kind", QuoteKind)},
    "flags": {"type": ("type", CueType)},
}


def _enum_value(raw: object, table: str, allowed: object) -> object:
    if not isinstance(raw, str):
        return raw
    key = " ".join(raw.strip().lower().replace("_", " ").replace("-", " ").split())
    values = _args(allowed)
    for v in values:
        if key == v.replace("_", " "):
            return v
    return _SYNONYMS.get(table, {}).get(key, raw)


def _unwrap(data: object) -> object:
    """JSON-mode servers sometimes wrap the answer: `[{...}]` or `{"analysis": {...}}`."""
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if isinstance(data, dict) and not _KEYS.intersection(data) and len(data) == 1:
        inner = next(iter(data.values()))
        if isinstance(inner, dict) and _KEYS.intersection(inner):
            return inner
    return data


def parse_answer(content: str | None) -> AnswerV1:
    """The answer in the model's message content, validated item by item. Raises MalformedAnswer (with a
    reason fit to tell the model) when there is no answer object at all."""
    try:
        found = find_object(content)
    except NotJSON as exc:
        raise MalformedAnswer(str(exc)) from None
    data = _unwrap(found.data)
    if not isinstance(data, dict):
        raise MalformedAnswer("the answer is not a JSON object")
    if not _KEYS.intersection(data):
        raise MalformedAnswer("the answer has none of the schema v1 keys (kind, summary, claims, quotes, flags)")
    invalid: Counter[str] = Counter()
    lists: dict[str, list] = {}
    for key, model in _ITEMS.items():
        raw = data.get(key)
        if raw is None:  # JSON-mode servers write null for "nothing"
            raw = []
        if isinstance(raw, dict):  # one item where a list is due
            raw = [raw]
        if not isinstance(raw, list):
            invalid[f"{_ITEM_NAMES[key]} dropped: not a list"] += 1
            raw = []
        items = list(raw)
        if found.truncated and items and key == _last_list(data):
            items.pop()  # the item being written when the answer was cut off
        lists[key] = [x for x in (_item(key, model, v, invalid) for v in items) if x is not None]
    kind = _enum_value(data.get("kind"), "kind", DocKind)
    if kind is not None and kind not in _args(DocKind):
        invalid["document kinds ignored: not news, opinion or unknown"] += 1
    answer = AnswerV1(kind=kind if kind in _args(DocKind) else "unknown", **lists)
    answer._invalid = invalid
    answer._truncated = found.truncated
    return answer


def _last_list(data: dict) -> str | None:
    """The last answer list in the object as written (json-repair keeps the order of the text)."""
    keys = [k for k in data if k in _ITEMS and isinstance(data[k], list) and data[k]]
    return keys[-1] if keys else None


def _item(key: str, model: type[_Item], raw: object, invalid: Counter[str]) -> _Item | None:
    if not isinstance(raw, dict):
        invalid[f"{_ITEM_NAMES[key]} dropped: not an object"] += 1
        return None
    fixed = {k: v for k, v in raw.items() if v is not None or k not in _DEFAULTED[key]}
    for name, (table, allowed) in _ENUM_FIELDS[key].items():
        if name in fixed:
            fixed[name] = _enum_value(fixed[name], table, allowed)
    try:
        return model.model_validate(fixed)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "item"
        invalid[f"{_ITEM_NAMES[key]} dropped: not valid ({where}: {first.get('msg')})"] += 1
        return None


# Fields with a default: a null there means "not given"; a null in a required field invalidates the item.
_DEFAULTED = {
    key: frozenset(n for n, f in model.model_fields.items() if not f.is_required()) for key, model in _ITEMS.items()
}


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
