"""The store's part for follow-ups: the watch list (each stored analysis's flagged claims, written with it
and filled in at start-up for older ones) and the follow-up posts, each claimed once and retried until
posted or refused for good.

A post is claimed by one insert that conflicts (two processes, two syndicated copies: one row), held with
a lease the heartbeat renews while this process lives, and taken over by one guarded update once its
lease or its retry time has passed, so one process at a time tries it, and a posted row is never tried again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.analysis.model import Analysis
from bot.memory.followups import Watched, watched
from bot.memory.watch import WATCH_VERSION, names
from bot.store.coordination import Coordination
from bot.store.tables import analyses, analysis_urls, claims_watch, claims_watched, followup_posts

log = logging.getLogger(__name__)

URLS_PER_QUERY = 500
_OPEN = ("posting", "waiting")


@dataclass(frozen=True)
class WatchedAt:
    """A watched claim of the article at `url` (the analysis that address leads to, newest first)."""

    url: str
    text_hash: str
    claim: Watched
    names: tuple[str, ...]


@dataclass(frozen=True)
class FollowupPost:
    """A follow-up owed: where it goes and what it says (chat.postMessage arguments)."""

    team: str
    claim_key: str
    new_key: str
    channel: str
    thread_ts: str
    message: dict
    attempts: int


def watch_rows(key: str, text_hash: str, analysis: Analysis) -> list[dict]:
    """The claims_watch rows of one analysis."""
    return [{"analysis_key": key, "sentence_id": w.sentence_id, "text_hash": text_hash, "text": w.text,
             "level": w.level, "cues": json.dumps(list(w.cues)), "names": " ".join(names(w)),
             "sent_to_model": w.sent_to_model}
            for w in watched(analysis)]


def _watch_rows_of(stored: list) -> list[tuple[str, list[dict]]]:
    """(key, watch rows) of stored (key, text hash, JSON) rows; an unreadable one gets none, and is marked
    all the same, so it is not tried on every start."""
    out = []
    for key, text_hash, data in stored:
        try:
            out.append((key, watch_rows(key, text_hash, Analysis.from_json(data))))
        except ValueError:
            log.warning("analysis %s could not be read for the follow-up watch list", key)
            out.append((key, []))
    return out


class Watch(Coordination):
    # --- the watch list -------------------------------------------------------------------------------------

    async def _watch_in(self, conn: AsyncConnection, key: str, rows: list[dict]) -> None:
        """Write one analysis's watch rows and its marker, inside the caller's transaction."""
        if rows:
            await conn.execute(self.insert(claims_watch).values(rows).on_conflict_do_nothing())
        marker = self.insert(claims_watched).values(analysis_key=key, version=WATCH_VERSION)
        await conn.execute(marker.on_conflict_do_update(index_elements=["analysis_key"],
                                                        set_={"version": WATCH_VERSION}))

    async def watch_missing(self, batch: int = 200) -> int:
        """Fill the watch list for analyses stored before it existed (or before WATCH_VERSION): a batch
        parsed off the event loop, then written in one transaction."""
        a, w = analyses, claims_watched
        stmt = (select(a.c.key, a.c.text_hash, a.c.json).outerjoin(w, w.c.analysis_key == a.c.key)
                .where((w.c.version.is_(None)) | (w.c.version != WATCH_VERSION)).limit(batch))
        done = 0
        while True:
            rows = await self.read(lambda conn: _all(conn, stmt))
            prepared = await asyncio.to_thread(_watch_rows_of, rows)

            async def query(conn: AsyncConnection, prepared: list[tuple[str, list[dict]]] = prepared) -> None:
                for key, watch in prepared:
                    await conn.execute(claims_watch.delete().where(claims_watch.c.analysis_key == key))
                    await self._watch_in(conn, key, watch)

            await self.write(query, "watching claims")
            done += len(rows)
            if len(rows) < batch:
                return done

    async def watched_claims(self, urls: list[str]) -> list[WatchedAt]:
        """The watched claims of the analysis each of `urls` leads to (the newest, when several engines
        read it), in the order of `urls`. Reads the watch list only, never an analysis."""
        if not urls:
            return []
        u, c = analysis_urls, claims_watch

        async def query(conn: AsyncConnection) -> list:
            rows = []
            for start in range(0, len(urls), URLS_PER_QUERY):
                rows += list(await conn.execute(
                    select(u.c.url, u.c.analysis_key, u.c.created, c.c.sentence_id, c.c.text_hash, c.c.text,
                           c.c.level, c.c.cues, c.c.names, c.c.sent_to_model)
                    .outerjoin(c, c.c.analysis_key == u.c.analysis_key)
                    .where(u.c.url.in_(urls[start:start + URLS_PER_QUERY]))))
            return rows

        rows = await self.read(query)
        newest: dict[str, tuple[float, str]] = {}
        for row in rows:
            if row.url not in newest or row.created > newest[row.url][0]:
                newest[row.url] = (row.created, row.analysis_key)
        order = {url: i for i, url in enumerate(urls)}
        out = [WatchedAt(row.url, row.text_hash,
                         Watched(row.sentence_id, row.text, row.level, tuple(json.loads(row.cues)),
                                 sent_to_model=bool(row.sent_to_model)),
                         tuple(row.names.split()))
               for row in rows
               if row.sentence_id is not None and newest[row.url][1] == row.analysis_key]
        return sorted(out, key=lambda w: (order[w.url], w.claim.sentence_id))

    # --- follow-up posts --------------------------------------------------------------------------------

    async def claim_followup(self, *, team: str | None, claim_key: str, new_key: str, new_url: str,
                             decision: str, channel: str, thread_ts: str, message: dict) -> bool:
        """True for exactly one caller (in any process) per (claim, new article): that one posts it, and
        holds it while this process lives."""
        won = await self.claim_once(
            followup_posts, team=team or "", claim_key=claim_key, new_key=new_key, new_url=new_url,
            decision=decision, channel=channel, thread_ts=thread_ts, message=json.dumps(message),
            status="posting", holder=self.holder, attempts=1, expires=time.time() + self.lease_seconds,
            created=time.time())
        if won:
            self._keep_alive()
        return won

    async def finish_followup(self, post: FollowupPost, *, status: str, ts: str | None = None,
                              error: str | None = None, retry_at: float = 0.0) -> None:
        """Record how posting went: posted, failed (for good), or waiting (to be tried from `retry_at`).
        Only while this process still holds it: a holder that lost it to a takeover changes nothing."""
        f = followup_posts
        await self.write(lambda conn: conn.execute(update(f).where(
            f.c.team == post.team, f.c.claim_key == post.claim_key, f.c.new_key == post.new_key,
            f.c.status == "posting", f.c.holder == self.holder,
        ).values(status=status, ts=ts, error=error, expires=retry_at)), "recording a follow-up")

    async def take_over_followups(self, *, max_attempts: int, limit: int = 20) -> list[FollowupPost]:
        """Follow-ups due another try (their retry time came, or their holder stopped): each becomes ours,
        and only ours. One that has had `max_attempts` is marked failed instead. Nothing due: one read."""
        f = followup_posts
        now = time.time()

        async def find(conn: AsyncConnection) -> list:
            return list(await conn.execute(select(f).where(f.c.status.in_(_OPEN), f.c.expires < now)
                                           .order_by(f.c.expires).limit(limit)))

        won: list[FollowupPost] = []
        for row in await self.read(find):
            spent = row.attempts >= max_attempts
            values = ({"status": "failed", "error": row.error or "gave up after retries"} if spent else
                      {"status": "posting", "holder": self.holder, "attempts": row.attempts + 1,
                       "expires": time.time() + self.lease_seconds})

            async def claim(conn: AsyncConnection, row=row, values=values) -> bool:
                result = await conn.execute(update(f).where(
                    f.c.team == row.team, f.c.claim_key == row.claim_key, f.c.new_key == row.new_key,
                    f.c.status.in_(_OPEN), f.c.expires < now, f.c.attempts == row.attempts).values(**values))
                return result.rowcount == 1

            if await self.write(claim, "taking over a follow-up") and not spent:
                won.append(FollowupPost(row.team, row.claim_key, row.new_key, row.channel, row.thread_ts,
                                        json.loads(row.message), row.attempts + 1))
        if won:
            self._keep_alive()
        return won

    async def followup_rows(self, *, team: str | None = None) -> list[dict]:
        """Every follow-up row (of `team`), oldest first: for tests and the operator."""
        f = followup_posts
        stmt = select(f).order_by(f.c.created)
        if team is not None:
            stmt = stmt.where(f.c.team == team)
        return [dict(row._mapping) for row in await self.read(lambda conn: _all(conn, stmt))]

    async def renew(self) -> None:
        """The heartbeat: also keep this process's follow-ups being posted (a post waiting out Slack's
        rate limits can outlast a lease; it must not be taken over and posted twice meanwhile)."""
        await super().renew()
        f = followup_posts
        await self.write(lambda conn: conn.execute(update(f).where(f.c.status == "posting", f.c.holder == self.holder)
                                                   .values(expires=time.time() + self.lease_seconds)),
                         "renewing follow-ups")


async def _all(conn: AsyncConnection, stmt) -> list:  # noqa: ANN001 - any select
    return list(await conn.execute(stmt))
