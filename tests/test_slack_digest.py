"""/digest end to end: the app over HTTP, the fake Slack Web API, and a clock the tests move by hand (no test
waits for a wall-clock minute). Schedules across zones and DST, at most one digest per period across
restarts and processes, a missed digest posted once, empty periods silent."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.memory.schedule import Schedule, period_key
from bot.slack.app import RUNTIME
from bot.store import Store
from bot.store.tables import shared_links
from tests.fakes.article_server import ArticleServer
from tests.fakes.clock import ManualClock
from tests.fakes.fake_slack import TEAM_ID, FakeSlack, message_event
from tests.fakes.slack_bot import running_bot

NY = "America/New_York"


def digests(fake: FakeSlack, channel: str | None = None) -> list:
    """Digest messages in channels (not their thread continuations)."""
    return [c for c in fake.of("chat.postMessage")
            if not c.args.get("thread_ts") and "News digest" in c.args.get("text", "")
            and (channel is None or c.args["channel"] == channel)]


def rendered(call) -> str:
    blocks = call.args.get("blocks", [])
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return json.dumps(blocks, ensure_ascii=False) + "\n" + call.args.get("text", "")


async def answered(bot, command: str, text: str, name: str, **where: str) -> str:
    status, _, elapsed = await bot.command(command, text, name=name, **where)
    assert status == 200 and elapsed < 1.0
    await bot.fake.wait_for(lambda f: any(c.path.endswith("/" + name) for c in f.of("response_url")))
    [answer] = [c for c in bot.fake.of("response_url") if c.path.endswith("/" + name)]
    return answer.args["text"]


async def share(bot, link: str, channel: str, **extra) -> None:
    before = len(bot.fake.of("chat.update"))
    await bot.event(message_event(f"<{link}>", channel=channel, **extra))
    await bot.fake.wait_for(lambda f: len(f.of("chat.update")) > before)


async def settle(fake: FakeSlack, seconds: float = 0.4) -> None:
    """Let the schedulers run a few rounds (each sleeps 50 ms of real time on the manual clock)."""
    await asyncio.sleep(seconds)


def wall(now: datetime, tz: str, hours: float) -> tuple[str, datetime]:
    """A wall-clock time `hours` after `now` in `tz` (to the minute) and the instant it next falls on."""
    local = (now + timedelta(hours=hours)).astimezone(ZoneInfo(tz))
    hhmm = f"{local:%H:%M}"
    due = Schedule("daily", local.hour, local.minute, tz).next_due(now)
    return hhmm, due


@pytest.fixture
async def servers():
    fake = await FakeSlack().start()
    articles = await ArticleServer().start()
    yield fake, articles
    await articles.stop()
    await fake.stop()


async def test_daily_digest_is_posted_once_at_its_time_in_the_users_zone(tmp_path, servers):
    fake, articles = servers
    fake.users["U1"] = {"tz": NY, "display_name": "Ana"}
    clock = ManualClock(datetime.now(UTC))
    hhmm, due = wall(clock.now(), NY, 3)
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True) as bot:
        said = await answered(bot, "/digest", f"daily {hhmm}", "set", user="U1", channel="C1")
        day = due.astimezone(ZoneInfo(NY))
        assert f"Daily at {hhmm} America/New_York, next on {day:%a} {day.day} {day:%b}" in said
        await share(bot, articles.url("/news/water"), "C1", user="U1")
        await share(bot, articles.url("/news/water"), "C2", user="U2")  # no digest scheduled in C2
        clock.set(due - timedelta(seconds=1))
        await settle(fake)
        assert not digests(fake)
        clock.set(due + timedelta(seconds=1))
        await fake.wait_for(lambda f: digests(f))
        clock.set(due + timedelta(hours=2))
        await settle(fake)
        [digest] = digests(fake)
        assert digest.args["channel"] == "C1"
        text = rendered(digest)
        assert "Harbor city weighs emergency water limits" in text and "shared by Ana" in text
        assert "<@U1>" not in text and "Unconfirmed claims to watch" in text
        # The next day nothing new was shared: an empty period posts nothing.
        clock.set(due + timedelta(days=1, seconds=1))
        await settle(fake)
        assert len(digests(fake)) == 1
        rt = bot.web_app[RUNTIME]
        row = await rt.store.get_schedule(team=TEAM_ID, channel="C1")
        assert row.next_due == (due + timedelta(days=2)).timestamp()


async def _share_at(store: Store, when: datetime, url: str, channel: str, ts: str) -> None:
    await store.write(lambda conn: conn.execute(shared_links.insert().values(
        team=TEAM_ID, channel=channel, message_ts=ts, user="U1", url=url, created=when.timestamp(),
        channel_type="channel")))


async def test_daily_digest_keeps_its_wall_clock_across_dst(tmp_path, servers):
    """09:00 New York is 13:00 UTC before 1 Nov 2026 and 14:00 UTC after: the digest follows 09:00."""
    fake, articles = servers
    fake.users["U1"] = {"tz": NY}
    clock = ManualClock(datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True) as bot:
        link = articles.url("/news/water")
        await share(bot, link, "C9")  # analysed and cached; C9 has no digest
        said = await answered(bot, "/digest", "daily 09:00", "set", user="U1", channel="C1")
        assert "Daily at 09:00 America/New_York, next on Sat 31 Oct" in said
        rt = bot.web_app[RUNTIME]
        canonical = (await rt.store.links_since(team=TEAM_ID, since=0))[0].url
        await _share_at(rt.store, datetime(2026, 10, 31, 20, 0, tzinfo=UTC), canonical, "C1", "1.1")
        clock.set(datetime(2026, 10, 31, 13, 0, 1, tzinfo=UTC))  # 09:00 EDT: nothing shared before it
        await settle(fake)
        assert not digests(fake)
        clock.set(datetime(2026, 11, 1, 13, 0, 1, tzinfo=UTC))  # 08:00 EST: not yet
        await settle(fake)
        assert not digests(fake)
        clock.set(datetime(2026, 11, 1, 14, 0, 1, tzinfo=UTC))  # 09:00 EST
        await fake.wait_for(lambda f: digests(f))
        [digest] = digests(fake)
        assert "Sun 1 Nov 09:00 America/New_York" in digest.args["text"]


async def test_weekly_digest_in_tokyo(tmp_path, servers):
    fake, articles = servers
    fake.users["U7"] = {"tz": "Asia/Tokyo"}
    clock = ManualClock(datetime(2026, 12, 2, 0, 0, tzinfo=UTC))  # Wed 2 Dec, 09:00 in Tokyo
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True) as bot:
        await share(bot, articles.url("/news/water"), "C9")
        said = await answered(bot, "/digest", "weekly monday 09:00", "set", user="U7", channel="C3")
        assert "Weekly on Monday at 09:00 Asia/Tokyo, next on Mon 7 Dec" in said
        rt = bot.web_app[RUNTIME]
        canonical = (await rt.store.links_since(team=TEAM_ID, since=0))[0].url
        await _share_at(rt.store, datetime(2026, 12, 4, 0, 0, tzinfo=UTC), canonical, "C3", "1.2")
        clock.set(datetime(2026, 12, 6, 23, 59, tzinfo=UTC))
        await settle(fake)
        assert not digests(fake)
        clock.set(datetime(2026, 12, 7, 0, 0, 1, tzinfo=UTC))  # Monday 09:00 JST
        await fake.wait_for(lambda f: digests(f, "C3"))
        assert "Weekly on Monday at 09:00 Asia/Tokyo" in rendered(digests(fake)[0])


async def scheduled_then_stopped(tmp_path, fake, articles, clock) -> tuple[str, datetime]:
    """A bot that set a daily digest two hours ahead in C1 and saw one link shared there, then stopped."""
    hhmm, due = wall(clock.now(), NY, 2)
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True) as bot:
        await answered(bot, "/digest", f"daily {hhmm}", "set", channel="C1")
        await share(bot, articles.url("/news/water"), "C1")
    return hhmm, due


async def test_a_claim_whose_process_died_before_posting_is_posted_once(tmp_path, servers):
    """Restart between claim and post: the dead process's claim lapses, the next process posts it, once."""
    fake, articles = servers
    clock = ManualClock(datetime.now(UTC))
    hhmm, due = await scheduled_then_stopped(tmp_path, fake, articles, clock)
    # A process claimed the digest at its time and died before posting.
    dead = await Store.open(str(tmp_path / "newsbot.sqlite"))
    assert await dead.claim_digest(team=TEAM_ID, channel="C1", period=period_key(due), now=due.timestamp()) \
        == "claimed"
    await dead.close()
    clock.set(due + timedelta(seconds=5))
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True):
        await settle(fake)
        assert not digests(fake)  # the claim is still fresh: its holder may be posting
        clock.set(due + timedelta(seconds=75))  # the lease (60 s) lapsed: taken over
        await fake.wait_for(lambda f: digests(f))
        clock.set(due + timedelta(seconds=200))
        await settle(fake)
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True):
        await settle(fake)
    assert len(digests(fake)) == 1


async def test_two_processes_on_one_database_post_one_digest(tmp_path, servers):
    fake, articles = servers
    now = datetime.now(UTC)
    hhmm, due = wall(now, NY, 2)
    clocks = [ManualClock(now), ManualClock(now)]
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clocks[0], keep_fakes=True) as one, \
            running_bot(tmp_path, fake=fake, articles=articles, clock=clocks[1], keep_fakes=True):
        await answered(one, "/digest", f"daily {hhmm}", "set", channel="C1")
        await share(one, articles.url("/news/water"), "C1")
        for clock in clocks:
            clock.set(due + timedelta(seconds=1))
        await fake.wait_for(lambda f: digests(f))
        await settle(fake, 1.0)
        for clock in clocks:
            clock.set(due + timedelta(minutes=5))
        await settle(fake, 0.5)
    assert len(digests(fake)) == 1


async def test_a_missed_digest_is_posted_once_after_a_restart(tmp_path, servers):
    fake, articles = servers
    clock = ManualClock(datetime.now(UTC))
    hhmm, due = await scheduled_then_stopped(tmp_path, fake, articles, clock)
    # Down for three days: one digest on start, for the latest period only, labelled with it.
    latest = due + timedelta(days=3)
    clock.set(latest + timedelta(hours=5))
    for _ in range(2):  # started twice: the second start finds it posted
        async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True):
            await fake.wait_for(lambda f: digests(f))
            await settle(fake)
    [digest] = digests(fake)
    local = latest.astimezone(ZoneInfo(NY))
    assert f"{local:%a} {local.day} {local:%b} {hhmm} America/New_York" in digest.args["text"]
    assert "posted late" in rendered(digest) and "Harbor city" in rendered(digest)


async def test_digest_now_and_off_and_status(tmp_path, servers):
    fake, articles = servers
    fake.users["U1"] = {"tz": "Europe/Paris"}
    clock = ManualClock(datetime.now(UTC))
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True) as bot:
        assert "Nothing has been shared" in await answered(bot, "/digest", "now", "n0", user="U1", channel="C1")
        await share(bot, articles.url("/news/water"), "C1")
        clock.set(datetime.now(UTC))
        said = await answered(bot, "/digest", "now", "n1", user="U1", channel="C1")
        assert "Posted the digest of 1 link" in said and len(digests(fake, "C1")) == 1
        assert "No digest is scheduled" in await answered(bot, "/digest", "", "s0", channel="C1")
        await answered(bot, "/digest", "weekly fri 17:30", "set", user="U1", channel="C1")
        status = await answered(bot, "/digest", "", "s1", channel="C1")
        assert "Weekly on Friday at 17:30 Europe/Paris" in status
        assert "is off" in await answered(bot, "/digest", "off", "off", channel="C1")
        assert "nothing to turn off" in await answered(bot, "/digest", "off", "off2", channel="C1")
        _, body, _ = await bot.command("/digest", "hourly 9", name="bad", channel="C1")
        assert "I don't know `/digest hourly`" in body


async def test_digest_needs_the_bot_in_the_channel(tmp_path, servers):
    fake, articles = servers
    fake.not_member |= {"C5", "G5"}
    async with running_bot(tmp_path, fake=fake, articles=articles, keep_fakes=True) as bot:
        for channel in ("C5", "G5"):
            said = await answered(bot, "/digest", "daily 09:00", f"m{channel}", channel=channel)
            assert "I'm not a member of this channel" in said and "/invite @newsbot" in said
            assert await bot.web_app[RUNTIME].store.get_schedule(team=TEAM_ID, channel=channel) is None


async def test_two_hundred_links_stay_within_slacks_limits(tmp_path, servers):
    """A busy period through the real posting path: one channel message, the rest in its thread, every
    message within Slack's limits, nothing pinging anyone."""
    from tests.test_blocks import _check_limits, _no_leaks
    from tests.test_digest_blocks import _analysis

    fake, articles = servers
    clock = ManualClock(datetime.now(UTC))
    async with running_bot(tmp_path, fake=fake, articles=articles, clock=clock, keep_fakes=True) as bot:
        store = bot.web_app[RUNTIME].store
        engine_id = bot.web_app[RUNTIME].pipeline.engine().engine_id
        start = clock.now() - timedelta(hours=2)
        for i in range(200):
            analysis = _analysis(i)
            url = analysis.source.url
            await store.put_analysis(f"K{i}", url=url, text_hash=f"h{i}", engine_id=engine_id,
                                     analysis_json=analysis.to_json())
            await _share_at(store, start + timedelta(seconds=i), url, "C1", f"1.{i}")
        said = await answered(bot, "/digest", "now", "now", channel="C1")
        assert "Posted the digest of 200 link(s)" in said
    [first] = digests(fake, "C1")
    thread = [c for c in fake.of("chat.postMessage") if c.args.get("thread_ts")]
    assert thread and all(c.args["channel"] == "C1" for c in thread)
    from bot.slack.blocks import Message

    for call in [first, *thread]:
        message = Message(text=call.args["text"], blocks=call.args.get("blocks", []))
        _check_limits(message)
        _no_leaks(message)
    assert "200 links" in first.args["text"] and "in the thread" in rendered(first)
