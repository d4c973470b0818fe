"""Which engine answers in a conversation: the channel's own setting (`/newsbot engine`), the
conversation's type and NEWSBOT_PRIVATE_ENGINE, decided by bot/analysis/engine_choice.py."""

from __future__ import annotations

import logging

from bot.analysis.engine_choice import EngineChoice, choose_engine, conversation_of
from bot.slack.conversations import channel_type
from bot.slack.runtime import Runtime

log = logging.getLogger(__name__)


async def engine_for(rt: Runtime, channel: str | None, kind: str | None = None) -> EngineChoice:
    """The engine for an article shared in `channel` (`kind`: Slack's channel_type when the event gave it).
    A conversation whose setting or type cannot be read is treated as private and, if the store cannot
    say, as set to offline: an article never reaches a model because a lookup failed."""
    settings = rt.settings
    if not channel:
        return choose_engine(None, "private_channel", private_engine=settings.private_engine,
                             default=settings.engine)
    try:
        setting = await rt.store.channel_engine(team=None, channel=channel)
    except Exception as e:
        log.warning("could not read the engine setting of %s (%s); answering offline", channel, e)
        return EngineChoice("offline", by_channel=False)
    kind = kind or await channel_type(rt, channel)
    return choose_engine(setting, conversation_of(kind), private_engine=settings.private_engine,
                         default=settings.engine)
