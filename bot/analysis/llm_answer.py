"""The model's message as it really comes: the JSON object taken out of whatever surrounds it.

Real servers and models wrap the answer: a reasoning block before it (`<think>…</think>` from DeepSeek-R1
or Qwen3, even empty), prose ("Here is the analysis:"), a code fence, content as a list of parts, a
byte-order mark, trailing special tokens (`<|im_end|>`), near-JSON (a trailing comma, single quotes) or
an answer cut off at the output limit. This module finds the object; `llm_schema` validates it.
Near-JSON is repaired with the json-repair library, never by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import json_repair

ANSWER_KEYS = frozenset({"kind", "summary", "claims", "quotes", "flags"})

# Reasoning blocks some servers leave in the content (no reasoning parser); an unopened "</think>" is a
# template that put the opening tag in the prompt (DeepSeek-R1): everything before it is reasoning.
_THINK = re.compile(r"<(think|thinking|reasoning|thought)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_THINK_CLOSE = re.compile(r"^.*</(?:think|thinking|reasoning|thought)>", re.DOTALL | re.IGNORECASE)
_THINK_OPEN = re.compile(r"<(?:think|thinking|reasoning|thought)>.*\Z", re.DOTALL | re.IGNORECASE)
# Chat-template and end-of-text tokens a server failed to strip.
_SPECIAL = re.compile(
    r"<\|[A-Za-z0-9_ .:-]{1,40}\|>|</?s>|<eos>|<bos>|<end_of_turn>|<start_of_turn>|\[/?INST\]",
)
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)
# gpt-oss's harmony format, when a server passes it through: the answer is the final channel's message.
_HARMONY_FINAL = re.compile(r"<\|channel\|>\s*final\s*<\|message\|>")
_TEXT_PART_TYPES = frozenset({"text", "output_text", "input_text"})


@dataclass(frozen=True)
class Found:
    data: object
    repaired: bool  # json-repair had to fix it
    truncated: bool  # the JSON was never closed: the answer was cut off


class NotJSON(ValueError):
    """No JSON object could be read from the message; the message says why (it is told to the model)."""


def message_text(content: object) -> str | None:
    """The text of a message's content: a string, or a list of parts ({"type": "text", "text": …} or
    plain strings); reasoning parts are not the answer."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict) and part.get("type", "text") in _TEXT_PART_TYPES:
                texts.append(str(part.get("text") or ""))
            elif hasattr(part, "text") and getattr(part, "type", "text") in _TEXT_PART_TYPES:
                texts.append(str(part.text or ""))
        return "".join(texts)
    return str(content)


def strip_wrappers(text: str) -> str:
    """The content without a BOM, reasoning blocks and special tokens."""
    text = text.replace("\ufeff", "")
    final = _HARMONY_FINAL.search(text)
    if final:
        text = text[final.end() :]
    text = _THINK.sub("", text)
    if _THINK_CLOSE.search(text):
        text = _THINK_CLOSE.sub("", text, count=1)
    text = _THINK_OPEN.sub("", text)  # reasoning that never closed holds no answer
    return _SPECIAL.sub("", text).strip()


def find_object(content: str | None) -> Found:
    """The answer object in `content`. Raises NotJSON with a reason fit to tell the model."""
    if content is None or not content.strip():
        raise NotJSON("the answer was empty")
    text = strip_wrappers(content)
    if not text:
        raise NotJSON("the answer held only reasoning, no JSON object after it")
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    first_error = ""
    other: Found | None = None  # valid JSON, but no answer: the schema layer says what is wrong with it
    for chunk in candidates:
        found, error, parsed = _strict(chunk)
        if found is not None:
            return found
        first_error = first_error or error
        other = other or parsed
    for chunk in candidates:
        found = _repaired(chunk)
        if found is not None:
            return found
    if other is not None:
        return other
    raise NotJSON(first_error or "no JSON object in the answer")


def _strict(chunk: str) -> tuple[Found | None, str, Found | None]:
    """The first JSON value at an opening brace or bracket that parses as it stands and looks like an
    answer (prose around it is ignored); else the reason, and the first JSON value that did parse."""
    decoder = json.JSONDecoder()
    error = ""
    parsed: Found | None = None
    for m in re.finditer(r"[{\[]", chunk):
        try:
            data, _ = decoder.raw_decode(chunk, m.start())
        except json.JSONDecodeError as exc:
            error = error or f"not valid JSON ({exc.msg} at character {exc.pos - m.start()} of the object)"
            continue
        if _answer_like(data):
            return Found(data, repaired=False, truncated=False), "", None
        parsed = parsed or Found(data, repaired=False, truncated=False)
    return None, error or "no JSON object in the answer", parsed


def _repaired(chunk: str) -> Found | None:
    """The answer json-repair makes of the text from its first brace (or first bracket: `[{…}]`)."""
    for start in sorted({i for i in (chunk.find("{"), chunk.find("[")) if i >= 0}):
        body = chunk[start:]
        try:
            data = json_repair.loads(body)
        except Exception:  # the library's own failure is one more reason the answer is unusable
            continue
        if _answer_like(data):
            return Found(data, repaired=True, truncated=_unclosed(body))
    return None


def _unclosed(body: str) -> bool:
    """Whether the JSON in `body` was never closed (a brace, bracket or string left open): cut off."""
    depth, in_string, escaped = 0, False, False
    for c in body:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return False  # the object closed; whatever follows is prose
    return True


def _answer_like(data: object) -> bool:
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        return False
    if len(data) == 1 and isinstance(inner := next(iter(data.values())), dict):
        data = inner  # {"analysis": {...}}
    # "kind" alone is also a key of every quote: an item found inside a broken answer is no answer
    return bool(_LIST_KEYS.intersection(data)) or ("kind" in data and not _ITEM_KEYS.intersection(data))


_LIST_KEYS = ANSWER_KEYS - {"kind"}
_ITEM_KEYS = frozenset({"text", "speaker", "cue", "sentence_id", "sentence_ids"})
