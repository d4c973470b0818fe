"""newsbot's state: the analyses cache and its URL mapping, every shared link, handled Slack event ids,
token usage; plus (from Coordination) leases, failed fetches and replies owed, (from Memory) digest
schedules and runs and the /sources NAME index, and (from Watch) the follow-ups' watch list and posts."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.analysis.model import Analysis
from bot.store.memory import Memory
from bot.store.tables import analyses, analysis_urls, channel_settings, events, shared_links, token_usage
from bot.store.watch import Watch, watch_rows

# Event ids only need to outlive Slack's retry window (three retries within about an hour); a day is
# plenty and keeps the table small.
EVENT_TTL_SECONDS = 24 * 3600
# Pruning on every claim would add a write per event; once in this many claims is enough.
_PRUNE_EVERY = 500


@dataclass(frozen=True)
class SharedLink:
    team: str | None
    channel: str
    message_ts: str
    user: str | None
    url: str
    created: float
    channel_type: str | None = None


@dataclass(frozen=True)
class UrlHit:
    """The analysis an address leads to, and that address's own metadata (JSON, or None: the analysis's)."""

    analysis_json: str
    meta_json: str | None


class Store(Memory, Watch):
    _claims = 0

    # --- analyses cache -------------------------------------------------------------------------------

    async def get_analysis(self, key: str) -> str | None:
        """The Analysis JSON stored under `key` (engine + text digest), or None."""
        return await self._scalar(select(analyses.c.json).where(analyses.c.key == key))

    async def lookup_url(self, url: str, engine_id: str) -> UrlHit | None:
        """The analysis `url` led to with `engine_id`, with that address's metadata; None if never seen."""

        async def query(conn: AsyncConnection) -> UrlHit | None:
            row = (await conn.execute(
                select(analyses.c.json, analysis_urls.c.meta)
                .join(analyses, analyses.c.key == analysis_urls.c.analysis_key)
                .where(analysis_urls.c.url == url, analysis_urls.c.engine_id == engine_id))).first()
            return UrlHit(row[0], row[1]) if row else None

        return await self.read(query)

    async def get_analysis_for_url(self, url: str, engine_id: str) -> str | None:
        hit = await self.lookup_url(url, engine_id)
        return hit.analysis_json if hit else None

    async def get_analysis_for_text(self, text_hash: str, engine_id: str) -> str | None:
        return await self._scalar(select(analyses.c.json).where(
            analyses.c.text_hash == text_hash, analyses.c.engine_id == engine_id))

    async def put_analysis(
        self, key: str, *, url: str | None, text_hash: str, engine_id: str, analysis_json: str,
        meta_json: str | None = None,
    ) -> None:
        """Keep an analysis (the first one of a text stays: another address never replaces it) and point
        `url` at it, with that address's own metadata. A new analysis's flagged claims join the follow-ups'
        watch list in the same transaction."""
        now = time.time()
        try:  # parsed once, off the event loop, for the watch list and the /sources index
            parsed: Analysis | None = await asyncio.to_thread(Analysis.from_json, analysis_json)
        except ValueError:  # left unmarked: start-up's catch-up logs it and marks it
            parsed = None
        watch = watch_rows(key, text_hash, parsed) if parsed is not None else None

        async def query(conn: AsyncConnection) -> None:
            added = await conn.execute(self.insert(analyses).values(
                key=key, text_hash=text_hash, engine_id=engine_id, json=analysis_json, created=now,
            ).on_conflict_do_nothing())
            if added.rowcount == 1 and watch is not None:
                await self._watch_in(conn, key, watch)
            if url:
                values = {"analysis_key": key, "meta": meta_json, "created": now}
                await conn.execute(self.insert(analysis_urls).values(url=url, engine_id=engine_id, **values)
                                   .on_conflict_do_update(index_elements=["url", "engine_id"], set_=values))

        await self.write(query, "caching an analysis")
        await self.index_stored(key, parsed or analysis_json)

    # --- shared links ---------------------------------------------------------------------------------

    async def record_link(
        self, *, team: str | None, channel: str, message_ts: str, user: str | None, url: str,
        channel_type: str | None = None,
    ) -> bool:
        """Remember that `url` was shared in `channel` at `message_ts`. False if it was already recorded,
        which is how a retried or duplicated event is told apart from a new share."""
        return await self.claim_once(shared_links, team=team, channel=channel, message_ts=message_ts, user=user,
                                     url=url, created=time.time(), channel_type=channel_type)

    async def shared_links(
        self, *, channel: str | None = None, since: float = 0.0, limit: int = 1000
    ) -> list[SharedLink]:
        """Links shared since `since` (epoch seconds), oldest first; in one channel when given."""
        t = shared_links
        stmt = select(t.c.team, t.c.channel, t.c.message_ts, t.c.user, t.c.url, t.c.created, t.c.channel_type)
        stmt = stmt.where(t.c.created >= since)
        if channel is not None:
            stmt = stmt.where(t.c.channel == channel)
        stmt = stmt.order_by(t.c.created, t.c.id).limit(limit)

        async def query(conn: AsyncConnection) -> list[SharedLink]:
            return [SharedLink(*row) for row in await conn.execute(stmt)]

        return await self.read(query)

    # --- handled events -------------------------------------------------------------------------------

    async def claim_event(self, event_id: str) -> bool:
        """True the first time `event_id` is seen (by any process), False on every repeat."""
        won = await self.claim_once(events, event_id=event_id, created=time.time())
        self._claims += 1
        if self._claims % _PRUNE_EVERY == 0:
            await self.prune_events()
        return won

    async def prune_events(self, older_than: float = EVENT_TTL_SECONDS) -> int:
        """Forget event ids older than `older_than` seconds; returns how many were dropped."""

        async def query(conn: AsyncConnection) -> int:
            result = await conn.execute(delete(events).where(events.c.created < time.time() - older_than))
            return result.rowcount

        return await self.write(query, "pruning events")

    # --- token budget ---------------------------------------------------------------------------------

    async def add_tokens(self, day: str, tokens: int) -> None:
        """Add to the day's tally in one statement, so processes adding at once never lose a count."""
        stmt = self.insert(token_usage).values(day=day, tokens=tokens)
        stmt = stmt.on_conflict_do_update(index_elements=["day"],
                                          set_={"tokens": token_usage.c.tokens + stmt.excluded.tokens})
        await self.write(lambda conn: conn.execute(stmt), "counting tokens")

    async def tokens_used(self, day: str) -> int:
        return int(await self._scalar(select(token_usage.c.tokens).where(token_usage.c.day == day)) or 0)

    async def _scalar(self, stmt) -> object:  # noqa: ANN001 - any one-column select
        async def query(conn: AsyncConnection) -> object:
            return (await conn.execute(stmt)).scalar()

        return await self.read(query)

    # --- a channel's engine setting ---------------------------------------------------------------------

    async def channel_engine(self, *, team: str | None, channel: str) -> str | None:
        """The channel's own engine setting (offline or auto), None when it has none."""
        stmt = select(channel_settings.c.engine).where(channel_settings.c.team == (team or ""),
                                                      channel_settings.c.channel == channel)
        value = await self._scalar(stmt)
        return str(value) if value else None

    async def set_channel_engine(self, *, team: str | None, channel: str, engine: str | None,
                                 user: str | None = None) -> None:
        """Set (offline, auto) or clear (None) the channel's engine setting."""
        where = (channel_settings.c.team == (team or ""), channel_settings.c.channel == channel)
        if engine is None:
            await self.write(lambda conn: conn.execute(delete(channel_settings).where(*where)),
                             "clearing a channel's engine setting")
            return
        values = {"engine": engine, "set_by": user, "updated": time.time()}
        stmt = self.insert(channel_settings).values(team=team or "", channel=channel, **values)
        stmt = stmt.on_conflict_do_update(index_elements=["team", "channel"], set_=values)
        await self.write(lambda conn: conn.execute(stmt), "saving a channel's engine setting")
