"""Bolt listeners, grouped by kind; each module has `register(app, rt)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack.listeners import actions, commands, events, lookup, shortcuts
from bot.slack.runtime import Runtime


def register_listeners(app: AsyncApp, rt: Runtime) -> None:
    events.register(app, rt)
    commands.register(app, rt)
    actions.register(app, rt)
    shortcuts.register(app, rt)
    lookup.register(app, rt)
