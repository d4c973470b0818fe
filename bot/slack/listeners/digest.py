"""`/digest`: schedule, show, stop or post now this channel's digest of shared news links.

Acked at once; the work (users.info for the time zone, conversations.info for membership, the store)
runs after, and the answer goes through response_url.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from slack_bolt.async_app import AsyncAck, AsyncRespond
from slack_sdk.errors import SlackApiError

from bot.memory.schedule import ChannelSchedule, ScheduleError, moment_label, parse_schedule
from bot.slack import blocks, payload
from bot.slack.conversations import membership, user_tz
from bot.slack.runtime import Runtime, slack_error

log = logging.getLogger(__name__)

USAGE = (
    "*Usage:* a digest of the news links shared in this channel, posted here on a schedule.\n"
    "• `/digest daily 09:00` — every day at 09:00 in your time zone\n"
    "• `/digest weekly mon 09:00` — every Monday (mon…sun, or the full name)\n"
    "• `/digest now` — post now what the next digest would contain (the schedule stays as it is)\n"
    "• `/digest off` — stop this channel's digest\n"
    "• `/digest` — show this channel's schedule\n"
    "Each story gets its title, site, a one-line summary, its claims and unconfirmed flags and who shared "
    "it; then the unconfirmed claims to watch and who was quoted most. I need to be a member of the channel."
)
NOT_MEMBER = ("I'm not a member of this channel, so I can't post a digest here (or see what is shared). "
              "Invite me with `/invite @newsbot`, then run `/digest` again.")
DEFAULT_TZ = "UTC"


async def answer(rt: Runtime, cmd: object, ack: AsyncAck, command: dict, respond: AsyncRespond) -> None:
    words = (payload.text(command, "text") or "").split()
    verb = words[0].lower() if words else ""
    if verb not in ("", "help", "-h", "--help", "?", "usage", "status", "show", "off", "stop", "now", "daily",
                    "weekly"):
        await ack(response_type="ephemeral",
                  text=f"I don't know `/digest {blocks.escape(blocks.clip(verb, 40))}`.\n{USAGE}")
        return
    await ack()
    try:
        if verb in ("off", "stop"):
            text = await _off(rt, command)
        elif verb == "now":
            text = await _now(rt, command)
        elif verb in ("daily", "weekly"):
            text = await _set(rt, command, words)
        else:
            text = await _status(rt, command)
    except ScheduleError as e:
        text = f"{e}.\n{USAGE}"
    except Exception:
        log.exception("/digest %s failed", verb)
        text = "Something went wrong on my side (the details are in the bot's log); try again later."
    await _reply(respond, text, in_channel=verb in ("daily", "weekly", "off", "stop") and text.startswith("✓"))


async def _reply(respond: AsyncRespond, text: str, *, in_channel: bool = False) -> None:
    try:
        await respond(text=text, response_type="in_channel" if in_channel else "ephemeral",
                      blocks=[blocks.section(text)])
    except Exception as e:  # an expired response_url or a network error: nothing else to tell the user with
        log.warning("could not answer /digest: %s", e)


def _where(command: dict) -> tuple[str | None, str]:
    return payload.text(command, "team_id"), payload.text(command, "channel_id") or ""


async def _status(rt: Runtime, command: dict) -> str:
    team, channel = _where(command)
    row = await rt.store.get_schedule(team=team, channel=channel)
    if row is None:
        return f"No digest is scheduled in this channel.\n{USAGE}"
    return f"This channel's digest: {row.schedule.acknowledgement(rt.clock.now())}.\n{USAGE}"


async def _set(rt: Runtime, command: dict, words: list[str]) -> str:
    team, channel = _where(command)
    user = payload.text(command, "user_id")
    tz = await user_tz(rt, user)
    note = ""
    if not tz:
        tz = DEFAULT_TZ
        note = " (I couldn't read your time zone from Slack, so the time is UTC)"
    schedule = parse_schedule(words, tz)
    member = await membership(rt, channel)
    if member.member is False:
        return NOT_MEMBER
    if member.member is None:
        log.warning("could not check membership of %s (%s); scheduling anyway", channel, member.error)
    now = rt.clock.now()
    await rt.store.put_schedule(ChannelSchedule(team, channel, member.channel_type, schedule,
                                                schedule.next_due(now).timestamp(), user, now.timestamp()))
    rt.scheduler.wake()
    return (f"✓ {schedule.acknowledgement(now)}{note}. I'll post here a digest of the news links shared in "
            "this channel since the previous one (`/digest now` shows it early, `/digest off` stops it).")


async def _off(rt: Runtime, command: dict) -> str:
    team, channel = _where(command)
    if await rt.store.delete_schedule(team=team, channel=channel):
        return "✓ The digest for this channel is off."
    return "No digest was scheduled in this channel, so there is nothing to turn off."


async def _now(rt: Runtime, command: dict) -> str:
    from bot.slack.digests import build, post

    team, channel = _where(command)
    member = await membership(rt, channel)
    if member.member is False:
        return NOT_MEMBER
    now = rt.clock.now()
    row = await rt.store.get_schedule(team=team, channel=channel)
    last = await rt.store.last_digest_until(team=team, channel=channel)
    if last:
        since = datetime.fromtimestamp(last, UTC)
    elif row is not None:
        since = row.schedule.previous_due(now)
    else:
        since = now - timedelta(days=1)
    tz = row.schedule.tz if row else (await user_tz(rt, payload.text(command, "user_id")) or DEFAULT_TZ)
    label = f"{moment_label(now, tz)} {tz} (on request)"
    digest = await build(rt, team=team, channel=channel, since=since, until=now, label=label, tz=tz)
    when = f"{moment_label(since, tz)} {tz}"
    if digest.empty:
        return f"Nothing has been shared in this channel since {when}, so there is no digest to post."
    try:
        await post(rt, channel, digest, schedule=row.schedule.describe() if row else None)
    except SlackApiError as e:
        error = slack_error(e)
        if error in ("not_in_channel", "channel_not_found"):
            return NOT_MEMBER
        return f"Slack refused the digest ({error}); try again later."
    return f"Posted the digest of {digest.links} link(s) shared since {when}; the schedule is unchanged."
