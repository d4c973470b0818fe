"""Which engine analyses an article shared in a conversation: the one place that decides whether an
article from a private conversation may go to a model provider.

A channel's own setting (`/newsbot engine offline|auto`, kept in the store) wins: "offline" keeps the
channel away from every model, "auto" means the workspace's engine (NEWSBOT_ENGINE) even in a private
conversation. With no setting, private channels, group DMs and DMs get NEWSBOT_PRIVATE_ENGINE when it is
set, and every conversation else the workspace's engine. The reply's footer says when a channel's
setting chose the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Conversation = Literal["channel", "private_channel", "group_dm", "dm"]
PRIVATE: frozenset[str] = frozenset({"private_channel", "group_dm", "dm"})
CHANNEL_SETTINGS = ("offline", "auto")

# Slack's `channel_type` of a message event, in the words above. Anything unknown is taken as private:
# the cautious side, where an article stays offline if the workspace asks for that.
_SLACK_CHANNEL_TYPES: dict[str, Conversation] = {
    "channel": "channel", "group": "private_channel", "mpim": "group_dm", "im": "dm",
}


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # offline, openai or auto (as NEWSBOT_ENGINE: auto is resolved by the pipeline)
    by_channel: bool  # a channel's own setting chose it (the reply's footer says so)


def conversation_of(channel_type: str | None) -> Conversation:
    """The conversation type for Slack's `channel_type` ("channel", "group", "mpim", "im")."""
    return _SLACK_CHANNEL_TYPES.get((channel_type or "").lower(), "private_channel")


def choose_engine(
    channel_setting: str | None, conversation: Conversation, *, private_engine: str | None, default: str
) -> EngineChoice:
    """The engine for an article shared in `conversation`, given the channel's stored setting (None,
    "offline" or "auto"), NEWSBOT_PRIVATE_ENGINE (`private_engine`, None when unset) and NEWSBOT_ENGINE
    (`default`)."""
    setting = (channel_setting or "").strip().lower() or None
    if setting is not None and setting not in CHANNEL_SETTINGS:
        raise ValueError(f"a channel's engine setting is one of {', '.join(CHANNEL_SETTINGS)}, not {setting!r}")
    if setting == "offline":
        return EngineChoice("offline", by_channel=True)
    if setting == "auto":
        return EngineChoice(default, by_channel=True)
    if conversation in PRIVATE and private_engine:
        return EngineChoice(private_engine, by_channel=False)
    return EngineChoice(default, by_channel=False)
