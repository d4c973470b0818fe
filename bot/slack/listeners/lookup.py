"""`/sources NAME` and the Home tab: what the team's shared articles say, within the privacy rule."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError

from bot.analysis.model import Analysis
from bot.memory.digest import most_quoted
from bot.memory.names import query_key
from bot.memory.schedule import moment_label
from bot.memory.sources import group_hits
from bot.memory.visibility import PUBLIC, Viewer, visible
from bot.slack import blocks, payload
from bot.slack.conversations import permalinks
from bot.slack.lookup_blocks import PEOPLE_SHOWN, HomeDigest, HomeLink, home_view, sources_message
from bot.slack.runtime import Runtime, slack_error

log = logging.getLogger(__name__)

HOME_DAYS = 7
HOME_LINKS = 15
HOME_READ = 300  # shares whose analyses the tab reads (recent list and the week's most quoted)


def _engine_id(rt: Runtime) -> str | None:
    from bot.slack.digests import _engine_id

    return _engine_id(rt)


async def answer(rt: Runtime, ack: AsyncAck, command: dict, respond: AsyncRespond, name: str) -> None:
    key = query_key(name)
    if not key:
        await ack(response_type="ephemeral", text="Give me a name to look up, e.g. `/sources Putin`.")
        return
    await ack()
    viewer = Viewer(payload.text(command, "team_id"), payload.text(command, "channel_id"))
    try:
        hits = await rt.store.find_sources(key, team=viewer.team, engine_id=_engine_id(rt))
        people = group_hits([h for h in hits if visible(viewer, team=h.team, channel=h.channel,
                                                        channel_type=h.channel_type)])
        shown = [(h.channel, h.message_ts) for p in people[:PEOPLE_SHOWN] for h in p.hits[:8]]
        message = sources_message(name, people, await permalinks(rt, shown))
    except Exception:
        log.exception("/sources %s failed", name)
        message = blocks.notice("Something went wrong on my side (the details are in the bot's log); try again.")
    try:
        await respond(response_type="ephemeral", unfurl_links=False, unfurl_media=False, **message.as_kwargs())
    except Exception as e:
        log.warning("could not answer /sources: %s", e)


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.event("app_home_opened")
    async def on_home(body: dict, event: dict) -> None:
        with rt.handling():
            user = payload.text(event, "user")
            if (payload.text(event, "tab") or "home") == "home" and user:
                await publish_home(rt, team=payload.text(body, "team_id"), user=user)


async def publish_home(rt: Runtime, *, team: str | None, user: str) -> None:
    """The Home tab holds only what anyone in the team may see: public channels' shares and schedules."""
    from bot.slack.listeners.commands import summary_line

    viewer = Viewer(team)
    since = time.time() - HOME_DAYS * 86400
    shared = [link for link in await rt.store.links_since(team=team, since=since)
              if visible(viewer, team=link.team, channel=link.channel, channel_type=link.channel_type)]
    shared = shared[-HOME_READ:]  # the newest: a busy week must not make opening the tab slow
    stored = await rt.store.analyses_for_urls(list(dict.fromkeys(link.url for link in shared)), _engine_id(rt))
    analyses = {url: Analysis.from_json(data) for url, data in stored.items()}
    recent: list[HomeLink] = []
    for link in sorted(shared, key=lambda link: -link.created):
        if len(recent) >= HOME_LINKS or any(r.url == link.url for r in recent):
            continue
        analysis = analyses.get(link.url)
        title = (analysis.source.title if analysis else None) or blocks.site_of(link.url)
        recent.append(HomeLink(link.url, title, link.channel, len(analysis.flags) if analysis else 0, link.created))
    digests = [HomeDigest(row.channel, row.schedule.describe(),
                          moment_label(datetime.fromtimestamp(row.next_due, UTC), row.schedule.tz))
               for row in await rt.store.schedules(team=team) if row.channel_type == PUBLIC]
    help_text = (f"Paste a news link in a channel I'm in and I'll analyse it in the thread. Commands: "
                 f"{summary_line()}.")
    view = home_view(recent, most_quoted(list(analyses.values())), digests, help_text)
    try:
        await rt.client.views_publish(user_id=user, view=view)
    except SlackApiError as e:
        log.warning("views.publish for %s failed: %s", user, slack_error(e))
