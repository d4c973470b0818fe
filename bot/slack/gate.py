"""The door in front of Bolt in HTTP mode: a request reaches the app only when Slack signed it and its body
has the shape Slack sends. Anything else gets 400, 401 or 413 and one log line, no traceback: anyone who
can reach the port can send garbage, and none of it may cost more than a refusal.

The signature is checked on the raw bytes before anything is parsed (Slack signs the body as sent), then
the body is parsed as Bolt will parse it, and the fields Bolt reads before any listener runs are checked
for type, so a signed but malformed payload is refused here rather than crashing inside Bolt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

# Slack's own requests are far smaller (a 40,000-character message with its blocks is a few hundred KB).
MAX_BODY = 1024 * 1024
_TIMESTAMP = re.compile(r"\d{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
# Fields Bolt reads while building its context and matching listeners, with the type it assumes.
_OBJECTS = ("event", "view", "message", "previous_message", "item", "assistant_thread", "function_data",
            "container", "state", "bot_profile")
_IDS = ("team", "user", "channel", "enterprise")  # a string, or an object whose "id" is a string
_LISTS = ("authorizations", "actions", "response_urls", "links")
_STRINGS = ("type", "subtype", "event_id", "team_id", "user_id", "channel_id", "enterprise_id", "command",
            "text", "ts", "thread_ts", "action_id", "block_id", "value", "callback_id", "response_url",
            "trigger_id", "api_app_id", "challenge")


class Refused(Exception):
    """A request the app will not handle: `status` is the HTTP answer, `reason` the log line's detail."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def checked_body(request: web.Request, signing_secret: str) -> tuple[str, dict]:
    """The request's body text and parsed payload, once the signature and the shape are right; else Refused."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Refused(413, f"a body of {request.content_length} bytes, over the {MAX_BODY} limit")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise Refused(413, f"a body over the {MAX_BODY}-byte limit") from None
    if not _signed(raw, request.headers, signing_secret):
        raise Refused(401, "a missing, stale or wrong Slack signature")
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "a body that is not UTF-8") from None
    payload = parse(body, request.content_type)
    problem = shape_problem(payload)
    if problem:
        raise Refused(400, problem)
    return body, payload


def _signed(raw: bytes, headers: Mapping[str, str], secret: str) -> bool:
    timestamp = headers.get("X-Slack-Request-Timestamp") or ""
    signature = headers.get("X-Slack-Signature") or ""
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False  # checked first: SignatureVerifier raises on a timestamp that is not a number
    return SignatureVerifier(secret).is_valid(raw, timestamp, signature)


def parse(body: str, content_type: str) -> dict:
    """The payload as Bolt reads it (JSON, `payload=<JSON>` or a form), or Refused when it is not an object."""
    try:
        if content_type == "application/json" or body.startswith("{"):
            data = json.loads(body) if body else {}
        else:
            form = dict(parse_qsl(body, keep_blank_values=True))
            data = json.loads(form["payload"]) if "payload" in form else form
    except (ValueError, RecursionError):
        raise Refused(400, "a body that is not the JSON or form Slack sends") from None
    if not isinstance(data, dict):
        raise Refused(400, f"a payload that is {_kind(data)}, not an object")
    return data


def shape_problem(payload: dict, where: str = "") -> str | None:
    """Why `payload` is not shaped as Slack's payloads are, in the fields Bolt relies on; None when it is."""
    for key in _OBJECTS:
        value = payload.get(key)
        # Bolt reads body.get("event", {}).get(...): a null event is as fatal as a list.
        if (value is not None or (key == "event" and key in payload)) and not isinstance(value, dict):
            return f"{where}{key} is {_kind(value)}, not an object"
        if isinstance(value, dict):  # Bolt looks for ids inside these too
            inner = shape_problem(value, f"{where}{key}.")
            if inner:
                return inner
    for key in _IDS:
        value = payload.get(key)
        if value is None or isinstance(value, str):
            continue
        if not isinstance(value, dict) or not isinstance(value.get("id", ""), str):
            return f"{where}{key} is neither an id nor an object with an id"
    for key in _LISTS:
        value = payload.get(key)
        if key in payload and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            return f"{where}{key} is not a list of objects"  # Bolt tests `key in body`, then takes len()
        if key == "actions" and value == []:
            return f"{where}actions is empty"  # Bolt reads actions[0] before any listener runs
        if key == "response_urls" and value is not None and len(value) > 1:
            # Bolt logs "multiple response_urls" through a context logger it has not set yet (a KeyError,
            # HTTP 500); newsbot opens no modal that could send more than one.
            return f"{where}response_urls has more than one entry"
        for i, item in enumerate(value or []):
            inner = shape_problem(item, f"{where}{key}[{i}].")
            if inner:
                return inner
    for key in _STRINGS:
        value = payload.get(key)
        if value is not None and not isinstance(value, str):
            return f"{where}{key} is {_kind(value)}, not a string"
    return None


def _kind(value: object) -> str:
    """'a list', 'a number', 'null': a JSON value's kind, for the log line."""
    if value is None:
        return "null"
    return {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number",
            dict: "an object"}.get(type(value), type(value).__name__)
