"""Digests in Slack: built from the store, posted in the channel, and the scheduler that posts them on time.

At most once, whatever happens: before posting the digest for (channel, period), the scheduler claims
that row in the store with one atomic statement. A second process, or this one after a restart, finds the
row claimed and does nothing; a claim whose holder died mid-post (its lease not renewed) is taken over
and completed. A digest whose time passed while no process ran is posted once on start: the latest
missed period only, labelled with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot.memory.clock import Clock, SystemClock
from bot.memory.collect import collect
from bot.memory.digest import Digest
from bot.memory.schedule import ChannelSchedule, moment_label, period_key
from bot.slack.conversations import display_names
from bot.slack.digest_blocks import digest_messages
from bot.slack.runtime import Runtime, slack_error

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0  # how often the store is read for schedules other processes set
LEASE_SECONDS = 60.0  # a claim not renewed for this long belongs to a process that died
RENEW_SECONDS = 15.0
LATE_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0  # a digest posted this long after its time says it is late


def _engine_id(rt: Runtime) -> str | None:
    try:
        return rt.pipeline.engine().engine_id
    except Exception:  # a misconfigured engine must not stop digests of what is already stored
        return None


async def build(rt: Runtime, *, team: str | None, channel: str, since: datetime, until: datetime,
                label: str, tz: str) -> Digest:
    return await collect(rt.store, team=team, channel=channel, since=since.timestamp(),
                         until=until.timestamp(), label=label, engine_id=_engine_id(rt),
                         names=lambda users: display_names(rt, users), tz=tz)


async def post(rt: Runtime, channel: str, digest: Digest, *, schedule: str | None = None) -> str | None:
    """Post the digest: one channel message, overflow in its thread. Returns the message ts (None when
    the digest was empty and nothing was posted). Raises SlackApiError when Slack refuses the first."""
    messages = digest_messages(digest, schedule=schedule)
    if not messages:
        return None
    first = await rt.client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False,
                                             **messages[0].as_kwargs())
    ts = first.get("ts")
    for message in messages[1:]:
        if not ts:
            break
        try:
            await rt.client.chat_postMessage(channel=channel, thread_ts=ts, unfurl_links=False,
                                             unfurl_media=False, **message.as_kwargs())
        except SlackApiError as e:
            log.warning("a digest continuation in %s failed: %s", channel, slack_error(e))
            break
    return ts or ""


class Scheduler:
    """Posts each channel's digest when it falls due. `clock` is injectable: tests move time by hand."""

    def __init__(self, rt: Runtime, clock: Clock | None = None, *, poll: float = POLL_SECONDS,
                 lease: float = LEASE_SECONDS) -> None:
        self.rt = rt
        self.clock = clock or SystemClock()
        self.poll = poll
        self.lease = lease
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="newsbot-digests")

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Let a digest being posted finish (cutting it between Slack's answer and the store's record
        would let the next process post it again), then stop."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    def wake(self) -> None:
        """A schedule changed in this process: look again now rather than at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                wait = await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("digest scheduler: a round failed; trying again shortly")
                wait = self.poll
            if self._stopping:
                return
            sleep = asyncio.ensure_future(self.clock.sleep(wait))
            woken = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({sleep, woken}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleep.cancel()
                woken.cancel()

    async def tick(self) -> float:
        """Post every digest that is due; returns how long to wait before looking again."""
        now = self.clock.now()
        for row in await self.rt.store.due_schedules(now.timestamp()):
            if self._stopping:
                break
            await self._fire(row, now)
        upcoming = await self.rt.store.next_schedule_due()
        left = (upcoming - self.clock.now().timestamp()) if upcoming is not None else self.poll
        # Still due after this round: another process holds its claim. Look again at the next poll rather
        # than spin on the database.
        return self.poll if left <= 0 else min(self.poll, left)

    async def _fire(self, row: ChannelSchedule, now: datetime) -> None:
        schedule = row.schedule
        due = schedule.latest_due(now)
        if due.timestamp() < row.next_due:  # the store's next_due is ahead of this clock: not yet
            return
        period = period_key(due)
        state = await self.rt.store.claim_digest(team=row.team, channel=row.channel, period=period,
                                                  now=now.timestamp(), lease=self.lease)
        if state == "busy":  # another process is posting it, or died doing so: look again later
            return
        if state == "claimed":
            await self._post_claimed(row, due, period)
        await self.rt.store.advance_schedule(team=row.team, channel=row.channel, expected=row.next_due,
                                             next_due=schedule.next_due(now).timestamp())

    async def _post_claimed(self, row: ChannelSchedule, due: datetime, period: str) -> None:
        schedule = row.schedule
        # Since the previous digest; the first one covers the period before the schedule's first time (all
        # of it, even when that time was missed: links shared before the bot went down are still owed).
        last = await self.rt.store.last_digest_until(team=row.team, channel=row.channel)
        if last:
            since = datetime.fromtimestamp(last, due.tzinfo)
        else:
            since = min(row.first_since() or due, schedule.previous_due(due))
        since = min(since, due - timedelta(seconds=1))
        label = moment_label(due, schedule.tz) + f" {schedule.tz}"
        late = self.clock.now() - due
        renew = asyncio.create_task(self._renew(row, period))
        status, ts, error = "failed", None, None
        try:
            digest = await build(self.rt, team=row.team, channel=row.channel, since=since, until=due, label=label,
                                 tz=schedule.tz)
            note = schedule.describe()
            if late.total_seconds() > LATE_SECONDS:
                note += " · posted late: I was offline at its time"
            ts = await post(self.rt, row.channel, digest, schedule=note)
            status = "empty" if ts is None else "posted"
            log.info("digest %s in %s: %s (%d links), %.1f s after its time", period, row.channel, status,
                     digest.links, (self.clock.now() - due).total_seconds())
        except SlackApiError as e:
            error = slack_error(e)
            log.warning("could not post the digest in %s: %s", row.channel, error)
        except asyncio.CancelledError:
            # Shut down mid-way: the claim stays open and whoever runs next completes it once the lease
            # lapses (marking it failed here would lose the digest).
            renew.cancel()
            raise
        except Exception as e:
            error = f"{type(e).__name__}: {e}"
            log.exception("the digest for %s could not be built", row.channel)
        renew.cancel()
        await self.rt.store.finish_digest(team=row.team, channel=row.channel, period=period, status=status,
                                          until=due.timestamp(), ts=ts, error=error)

    async def _renew(self, row: ChannelSchedule, period: str) -> None:
        """Keep the claim fresh while posting (Slack's rate limits can make that slow), so no other
        process mistakes this one for dead."""
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            await self.rt.store.renew_digest_claim(team=row.team, channel=row.channel, period=period,
                                                   now=self.clock.now().timestamp())
