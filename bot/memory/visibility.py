"""Who may see what the team shared: the one privacy rule every memory feature applies.

An article shared in a public channel may be shown anywhere in that Slack team. One shared only in a
private channel, a group DM or a DM (Slack's `channel_type`: group, mpim, im) is shown only to a request
made in that same conversation. A share whose type is unknown (recorded before newsbot kept it, or from
an event that does not carry it) counts as private. Nothing ever crosses teams.
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC = "channel"


@dataclass(frozen=True)
class Viewer:
    """Where a request comes from: its team and, for a command, its conversation (None: the Home tab,
    which belongs to no conversation and so sees public shares only)."""

    team: str | None
    channel: str | None = None


def visible(viewer: Viewer, *, team: str | None, channel: str, channel_type: str | None) -> bool:
    if viewer.team is None or team != viewer.team:
        return False
    return channel_type == PUBLIC or (viewer.channel is not None and channel == viewer.channel)
