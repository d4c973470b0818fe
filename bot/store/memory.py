"""The store's part for newsbot's memory: digest schedules, digest runs claimed once, the shared links a
digest covers, and the /sources NAME index (filled as analyses are stored, and for older ones at start).

Every "once" is one atomic statement: a digest run is an insert that conflicts, or an update guarded by
its lease; a schedule moves on by compare-and-set, so two processes never both advance or both post.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.analysis.model import Analysis
from bot.memory.schedule import ChannelSchedule, Schedule
from bot.memory.sources import INDEX_VERSION, SourceEntry, SourceHit, entries
from bot.store.database import Database
from bot.store.tables import (
    analyses,
    analysis_urls,
    digest_runs,
    schedules,
    shared_links,
    sources_index,
    sources_indexed,
)

log = logging.getLogger(__name__)

DIGEST_LEASE_SECONDS = 60.0
LINKS_MAX = 5000
_FINISHED = ("posted", "empty")


def _team(team: str | None) -> str:
    return team or ""


@dataclass(frozen=True)
class Shared:
    """A shared link as memory reads it."""

    team: str | None
    channel: str
    channel_type: str | None
    message_ts: str
    user: str | None
    url: str
    created: float


def _schedule(row) -> ChannelSchedule:  # noqa: ANN001 - a schedules row
    return ChannelSchedule(row.team or None, row.channel, row.channel_type,
                           Schedule(row.cadence, row.hour, row.minute, row.tz, row.weekday),
                           row.next_due, row.created_by, row.created)


class Memory(Database):
    # --- shared links, as digests and the Home tab read them ---------------------------------------------

    async def fill_channel_type(self, *, channel: str, message_ts: str, url: str, channel_type: str) -> None:
        """Record where a link was shared when the first event for it (app_mention) did not say."""
        t = shared_links
        await self.write(lambda conn: conn.execute(
            update(t).where(t.c.channel == channel, t.c.message_ts == message_ts, t.c.url == url,
                            t.c.channel_type.is_(None)).values(channel_type=channel_type)), "noting a channel type")

    async def untyped_channels(self, limit: int = 200) -> list[str]:
        """Channels with shares whose conversation type is unknown (recorded before it was kept)."""
        t = shared_links
        stmt = select(t.c.channel).where(t.c.channel_type.is_(None)).group_by(t.c.channel).limit(limit)
        return await self.read(lambda conn: _column(conn, stmt))

    async def type_channel_shares(self, channel: str, channel_type: str) -> int:
        """Give every untyped share in `channel` its type; returns how many rows changed."""
        t = shared_links

        async def query(conn: AsyncConnection) -> int:
            result = await conn.execute(update(t).where(t.c.channel == channel, t.c.channel_type.is_(None))
                                        .values(channel_type=channel_type))
            return result.rowcount

        return await self.write(query, "noting channel types")

    async def _links(self, *conditions) -> list[Shared]:  # noqa: ANN002 - SQL conditions
        t = shared_links
        # The newest LINKS_MAX (a bound on what one digest or Home tab reads), returned oldest first.
        stmt = (select(t.c.team, t.c.channel, t.c.channel_type, t.c.message_ts, t.c.user, t.c.url, t.c.created)
                .where(*conditions).order_by(t.c.created.desc(), t.c.id.desc()).limit(LINKS_MAX))

        async def query(conn: AsyncConnection) -> list[Shared]:
            return [Shared(*row) for row in await conn.execute(stmt)][::-1]

        return await self.read(query)

    async def links_between(self, *, team: str | None, channel: str, since: float, until: float) -> list[Shared]:
        """Links shared in `channel` in [since, until), oldest first (any team when `team` is None)."""
        t = shared_links
        conditions = [t.c.channel == channel, t.c.created >= since, t.c.created < until]
        if team is not None:
            conditions.append(t.c.team == team)
        return await self._links(*conditions)

    async def links_since(self, *, team: str | None, since: float) -> list[Shared]:
        """Every link shared in `team` since `since`; callers apply the privacy rule."""
        t = shared_links
        return await self._links(t.c.team == team, t.c.created >= since)

    async def share_of(self, *, channel: str, url: str) -> Shared | None:
        """The newest share of `url` in `channel` (where a follow-up's new article was shared)."""
        t = shared_links
        stmt = (select(t.c.team, t.c.channel, t.c.channel_type, t.c.message_ts, t.c.user, t.c.url, t.c.created)
                .where(t.c.channel == channel, t.c.url == url).order_by(t.c.created.desc(), t.c.id.desc()).limit(1))

        async def query(conn: AsyncConnection) -> Shared | None:
            row = (await conn.execute(stmt)).first()
            return Shared(*row) if row else None

        return await self.read(query)

    async def analyses_for_urls(self, urls: list[str], engine_id: str | None = None) -> dict[str, str]:
        """URL → the Analysis JSON it led to, with that address's own title and site; `engine_id`'s
        analysis when there is one, else the newest."""
        if not urls:
            return {}
        u, a = analysis_urls, analyses

        async def query(conn: AsyncConnection) -> list:
            rows = []
            for start in range(0, len(urls), 500):
                rows += list(await conn.execute(
                    select(u.c.url, u.c.engine_id, u.c.meta, u.c.created, a.c.json)
                    .join(a, a.c.key == u.c.analysis_key).where(u.c.url.in_(urls[start:start + 500]))))
            return rows

        best: dict[str, tuple[tuple[bool, float], str, str | None]] = {}
        for url, engine, meta, created, data in await self.read(query):
            rank = (engine == engine_id, created)
            if url not in best or rank > best[url][0]:
                best[url] = (rank, data, meta)
        return {url: _with_meta(data, meta) for url, (_, data, meta) in best.items()}

    # --- schedules ----------------------------------------------------------------------------------------

    async def put_schedule(self, row: ChannelSchedule) -> None:
        s = row.schedule
        values = {"channel_type": row.channel_type, "cadence": s.cadence, "hour": s.hour, "minute": s.minute,
                  "weekday": s.weekday, "tz": s.tz, "next_due": row.next_due, "created_by": row.created_by,
                  "created": row.created if row.created is not None else time.time()}
        stmt = self.insert(schedules).values(team=_team(row.team), channel=row.channel, **values)
        stmt = stmt.on_conflict_do_update(index_elements=["team", "channel"], set_=values)
        await self.write(lambda conn: conn.execute(stmt), "saving a digest schedule")

    async def get_schedule(self, *, team: str | None, channel: str) -> ChannelSchedule | None:
        rows = await self._schedules(schedules.c.team == _team(team), schedules.c.channel == channel)
        return rows[0] if rows else None

    async def delete_schedule(self, *, team: str | None, channel: str) -> bool:
        async def query(conn: AsyncConnection) -> bool:
            result = await conn.execute(delete(schedules).where(schedules.c.team == _team(team),
                                                                schedules.c.channel == channel))
            return result.rowcount == 1

        return await self.write(query, "removing a digest schedule")

    async def schedules(self, *, team: str | None = None) -> list[ChannelSchedule]:
        return await self._schedules(*([schedules.c.team == _team(team)] if team is not None else []))

    async def due_schedules(self, now: float) -> list[ChannelSchedule]:
        return await self._schedules(schedules.c.next_due <= now)

    async def next_schedule_due(self) -> float | None:
        async def query(conn: AsyncConnection) -> float | None:
            return (await conn.execute(select(func.min(schedules.c.next_due)))).scalar()

        return await self.read(query)

    async def advance_schedule(self, *, team: str | None, channel: str, expected: float, next_due: float) -> bool:
        """Move a schedule on, unless another process (or a new /digest) changed it meanwhile."""
        async def query(conn: AsyncConnection) -> bool:
            result = await conn.execute(update(schedules).where(
                schedules.c.team == _team(team), schedules.c.channel == channel,
                schedules.c.next_due == expected).values(next_due=next_due))
            return result.rowcount == 1

        return await self.write(query, "advancing a digest schedule")

    async def _schedules(self, *conditions) -> list[ChannelSchedule]:  # noqa: ANN002 - SQL conditions
        async def query(conn: AsyncConnection) -> list[ChannelSchedule]:
            stmt = select(schedules).where(*conditions).order_by(schedules.c.next_due)
            return [_schedule(row) for row in await conn.execute(stmt)]

        return await self.read(query)

    # --- digest runs: each (channel, period) posted at most once ------------------------------------------

    async def claim_digest(self, *, team: str | None, channel: str, period: str, now: float,
                           lease: float = DIGEST_LEASE_SECONDS) -> str:
        """"claimed": this process posts it now (a new claim, or one whose holder died: its lease ran out);
        "busy": another holder has it; "done": it was posted (or found empty, or failed) already."""
        d = digest_runs
        key = (d.c.team == _team(team), d.c.channel == channel, d.c.period == period)

        async def query(conn: AsyncConnection) -> str:
            taken = await conn.execute(self.insert(d).values(
                team=_team(team), channel=channel, period=period, status="claimed", holder=self.holder,
                expires=now + lease, created=now).on_conflict_do_nothing())
            if taken.rowcount == 1:
                return "claimed"
            stale = await conn.execute(update(d).where(*key, d.c.status == "claimed", d.c.expires < now)
                                       .values(holder=self.holder, expires=now + lease))
            if stale.rowcount == 1:
                log.info("taking over the digest %s in %s from a process that stopped", period, channel)
                return "claimed"
            status = (await conn.execute(select(d.c.status).where(*key))).scalar()
            return "busy" if status == "claimed" else "done"

        return await self.write(query, "claiming a digest")

    async def renew_digest_claim(self, *, team: str | None, channel: str, period: str, now: float,
                                 lease: float = DIGEST_LEASE_SECONDS) -> None:
        d = digest_runs
        await self.write(lambda conn: conn.execute(update(d).where(
            d.c.team == _team(team), d.c.channel == channel, d.c.period == period, d.c.status == "claimed",
            d.c.holder == self.holder).values(expires=now + lease)), "renewing a digest claim")

    async def finish_digest(self, *, team: str | None, channel: str, period: str, status: str, until: float,
                            ts: str | None = None, error: str | None = None) -> None:
        d = digest_runs
        await self.write(lambda conn: conn.execute(update(d).where(
            d.c.team == _team(team), d.c.channel == channel, d.c.period == period)
            .values(status=status, until=until, ts=ts, error=error)), "recording a digest")

    async def last_digest_until(self, *, team: str | None, channel: str) -> float | None:
        """Where the channel's previous digest ended (the next one starts there), or None."""
        d = digest_runs
        conditions = [d.c.channel == channel, d.c.status.in_(_FINISHED)]
        if team is not None:
            conditions.append(d.c.team == _team(team))

        async def query(conn: AsyncConnection) -> float | None:
            return (await conn.execute(select(func.max(d.c.until)).where(*conditions))).scalar()

        return await self.read(query)

    # --- the /sources NAME index --------------------------------------------------------------------------

    async def index_stored(self, key: str, analysis: Analysis | str) -> None:
        """Called as each analysis is stored. A failure is logged, never raised: the index can be rebuilt,
        the answer to the person who shared the link must not be lost over it."""
        try:
            await self.index_analysis(key, analysis)
        except Exception:
            log.exception("could not index the sources of analysis %s", key)

    async def index_analysis(self, key: str, analysis: Analysis | str) -> None:
        """Index one analysis (its JSON, or already parsed)."""
        if isinstance(analysis, str):
            analysis = Analysis.from_json(analysis)
        rows = [_index_row(key, e, analysis) for e in entries(analysis)]
        marker = self.insert(sources_indexed).values(analysis_key=key, version=INDEX_VERSION)
        marker = marker.on_conflict_do_update(index_elements=["analysis_key"], set_={"version": INDEX_VERSION})

        async def query(conn: AsyncConnection) -> None:
            await conn.execute(delete(sources_index).where(sources_index.c.analysis_key == key))
            if rows:
                await conn.execute(sources_index.insert(), rows)
            await conn.execute(marker)

        await self.write(query, "indexing sources")

    async def index_missing_sources(self, batch: int = 200) -> int:
        """Index the analyses stored before the index existed (or before INDEX_VERSION); returns how many."""
        a, i = analyses, sources_indexed
        stmt = (select(a.c.key, a.c.json).outerjoin(i, i.c.analysis_key == a.c.key)
                .where((i.c.version.is_(None)) | (i.c.version != INDEX_VERSION)).limit(batch))
        done = 0
        while True:
            rows = await self.read(lambda conn: _all(conn, stmt))
            for key, data in rows:
                try:
                    await self.index_analysis(key, data)
                except ValueError:  # unreadable JSON: mark it so it is not tried on every start
                    log.warning("analysis %s could not be read for the sources index", key)
                    await self.write(lambda conn, key=key: conn.execute(
                        self.insert(i).values(analysis_key=key, version=INDEX_VERSION).on_conflict_do_nothing()))
                done += 1
            if len(rows) < batch:
                return done

    async def find_sources(self, key: str, *, team: str | None, engine_id: str | None = None,
                           limit: int = 500) -> list[SourceHit]:
        """Every indexed quote or claim under name `key`, with each share of its article in `team`, newest
        share first. The caller applies the privacy rule to each share."""
        s, u, sl = sources_index, analysis_urls, shared_links
        join = u.c.analysis_key == s.c.analysis_key
        if engine_id is not None:
            join = join & (u.c.engine_id == engine_id)
        stmt = (select(s, sl.c.url, sl.c.team, sl.c.channel, sl.c.channel_type, sl.c.message_ts, sl.c.created)
                .join(u, join).join(sl, sl.c.url == u.c.url)
                .where(s.c.key == key, sl.c.team == team).order_by(sl.c.created.desc()).limit(limit))

        async def query(conn: AsyncConnection) -> list[SourceHit]:
            out = []
            for row in await conn.execute(stmt):
                entry = SourceEntry(row.key, row.who, row.name, row.title, row.speaker_kind, row.item, row.detail,
                                    row.text, row.position)
                out.append(SourceHit(entry, row.url, row.article_title, row.published, row.site, row.team,
                                     row.channel, row.channel_type, row.message_ts, row.created))
            return out

        return await self.read(query)


async def _all(conn: AsyncConnection, stmt) -> list:  # noqa: ANN001 - any select
    return list(await conn.execute(stmt))


async def _column(conn: AsyncConnection, stmt) -> list:  # noqa: ANN001 - a one-column select
    return [row[0] for row in await conn.execute(stmt)]


def _index_row(key: str, e: SourceEntry, analysis: Analysis) -> dict:
    source = analysis.source
    return {"analysis_key": key, "key": e.key, "who": e.who, "name": e.name, "title": e.title,
            "speaker_kind": e.speaker_kind, "item": e.item, "detail": e.detail, "text": e.text,
            "position": e.position, "article_title": source.title, "published": source.published,
            "site": source.site}


def _with_meta(data: str, meta: str | None) -> str:
    """An analysis as one address showed it: the address's own source (title, site) and links."""
    if not meta:
        return data
    try:
        extra = json.loads(meta)
        analysis = json.loads(data)
        analysis["source"] = extra.get("source", analysis.get("source"))
        analysis["links"] = extra.get("links", analysis.get("links"))
        return json.dumps(analysis)
    except (ValueError, AttributeError):
        return data
