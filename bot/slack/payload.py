"""Fields of a Slack payload read defensively: a payload with a field missing or of the wrong type (a
malformed or forged request, a Slack change) is answered or ignored quietly, never a crash in a listener.

    channel = payload.text(event, "channel")           # a str, or None
    user = payload.text(body, "user", "id")             # body["user"]["id"] when both levels are right
    for link in payload.dicts(event, "links"): ...      # only the dict items of a list
"""

from __future__ import annotations

from typing import Any


def field(obj: Any, *path: str) -> Any:
    """obj[path[0]][path[1]]…, or None as soon as a level is not a dict or lacks the key."""
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def text(obj: Any, *path: str) -> str | None:
    """The string at `path`, or None when it is missing or not a string."""
    value = field(obj, *path)
    return value if isinstance(value, str) else None


def dicts(obj: Any, *path: str) -> list[dict]:
    """The dict items of the list at `path`; [] when it is missing or not a list."""
    value = field(obj, *path)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
