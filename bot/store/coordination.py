"""What lets several processes share the work: leases (single flight), fetch failures remembered
briefly, replies owed (placeholders whose answer a survivor completes when their process dies) and
answers owed through a response_url (slash commands, the Share button), kept the same way.

Every decision is one atomic statement (an insert that conflicts, an update guarded by `expires`), so two
processes asking at once never both win. A heartbeat keeps this process's rows alive while it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.database import Database
from bot.store.tables import fetch_failures, leases, replies_owed, responses_owed

log = logging.getLogger(__name__)

LEASE_SECONDS = 30.0
# Slack accepts a response_url for 30 minutes; an answer owed for longer can only be dropped.
RESPONSE_URL_SECONDS = 30 * 60


@dataclass(frozen=True)
class OwedReply:
    channel: str
    ts: str
    thread_ts: str
    url: str
    attempts: int


@dataclass(frozen=True)
class OwedResponse:
    id: str
    response_url: str
    kind: str  # command | share | compare
    view: str | None
    url: str
    url2: str | None
    channel: str | None
    user: str | None
    attempts: int
    created: float


class Coordination(Database):
    # How long a claim outlives a silent holder (NEWSBOT_LEASE_SECONDS); the heartbeat renews at a third.
    lease_seconds: float = LEASE_SECONDS
    _beat: asyncio.Task | None = None

    # --- leases -------------------------------------------------------------------------------------------

    async def acquire_lease(self, name: str) -> bool:
        """True when this process now holds `name`: it was free, expired (its holder died), or already ours."""
        now = time.time()
        expires = now + self.lease_seconds

        async def query(conn: AsyncConnection) -> bool:
            taken = await conn.execute(self.insert(leases).values(name=name, holder=self.holder, expires=expires)
                                       .on_conflict_do_nothing())
            if taken.rowcount == 1:
                return True
            stale = await conn.execute(
                update(leases).where(leases.c.name == name)
                .where((leases.c.expires < now) | (leases.c.holder == self.holder))
                .values(holder=self.holder, expires=expires))
            return stale.rowcount == 1

        won = await self.write(query, "taking a lease")
        if won:
            self._keep_alive()
        return won

    async def release_lease(self, name: str) -> None:
        await self.write(lambda conn: conn.execute(
            delete(leases).where(leases.c.name == name, leases.c.holder == self.holder)), "releasing a lease")

    # --- fetch failures -----------------------------------------------------------------------------------

    async def remember_failure(self, url: str, message: str, seconds: float) -> None:
        expires = time.time() + seconds
        stmt = self.insert(fetch_failures).values(url=url, message=message, expires=expires)
        stmt = stmt.on_conflict_do_update(index_elements=[fetch_failures.c.url],
                                          set_={"message": message, "expires": expires})
        await self.write(lambda conn: conn.execute(stmt), "remembering a failed fetch")

    async def recent_failure(self, url: str) -> str | None:
        """Why `url` could not be fetched, if that happened within the failure cache's time."""

        async def query(conn: AsyncConnection) -> str | None:
            row = await conn.execute(select(fetch_failures.c.message).where(
                fetch_failures.c.url == url, fetch_failures.c.expires >= time.time()))
            return row.scalar()

        return await self.read(query)

    # --- replies owed -------------------------------------------------------------------------------------

    async def owe_reply(self, *, channel: str, ts: str, thread_ts: str, url: str) -> None:
        """A placeholder was posted at (channel, ts): its answer is owed until `settle_reply`."""
        now = time.time()
        stmt = self.insert(replies_owed).values(
            channel=channel, ts=ts, thread_ts=thread_ts, url=url, owner=self.holder,
            expires=now + self.lease_seconds, attempts=1, created=now).on_conflict_do_nothing()
        await self.write(lambda conn: conn.execute(stmt), "recording a reply owed")
        self._keep_alive()

    async def reply_owner(self, channel: str, ts: str) -> str | None:
        """Who owes the reply at (channel, ts) now (a `holder`), or None when nobody does."""

        async def query(conn: AsyncConnection) -> str | None:
            return (await conn.execute(select(replies_owed.c.owner).where(
                replies_owed.c.channel == channel, replies_owed.c.ts == ts))).scalar()

        return await self.read(query)

    async def settle_reply(self, channel: str, ts: str) -> None:
        await self.write(lambda conn: conn.execute(
            delete(replies_owed).where(replies_owed.c.channel == channel, replies_owed.c.ts == ts)),
            "settling a reply")

    async def take_over_replies(self, limit: int = 20) -> list[OwedReply]:
        """Replies owed by processes that stopped beating (killed, crashed): each becomes ours, and only ours,
        so exactly one survivor answers it."""
        now = time.time()

        async def find(conn: AsyncConnection) -> list:
            rows = await conn.execute(select(replies_owed).where(replies_owed.c.expires < now)
                                      .order_by(replies_owed.c.created).limit(limit))
            return list(rows)

        won: list[OwedReply] = []
        for row in await self.read(find):
            async def claim(conn: AsyncConnection, row=row) -> bool:
                result = await conn.execute(
                    update(replies_owed)
                    .where(replies_owed.c.channel == row.channel, replies_owed.c.ts == row.ts,
                           replies_owed.c.expires < now)
                    .values(owner=self.holder, expires=time.time() + self.lease_seconds,
                            attempts=replies_owed.c.attempts + 1))
                return result.rowcount == 1

            if await self.write(claim, "taking over a reply owed"):
                won.append(OwedReply(row.channel, row.ts, row.thread_ts, row.url, row.attempts + 1))
        if won:
            self._keep_alive()
        return won

    async def hand_over_replies(self) -> set[tuple[str, str]]:
        """This process is stopping: its replies owed become free at once for another process to finish
        (no longer ours, so the heartbeat leaves them alone). Returns their (channel, ts)."""
        where = replies_owed.c.owner == self.holder

        async def query(conn: AsyncConnection) -> set[tuple[str, str]]:
            rows = await conn.execute(select(replies_owed.c.channel, replies_owed.c.ts).where(where))
            owed = {(row.channel, row.ts) for row in rows}
            await conn.execute(update(replies_owed).where(where).values(owner=f"stopped:{self.holder}", expires=0.0))
            return owed

        return await self.write(query, "handing over replies owed")

    # --- answers owed through a response_url ---------------------------------------------------------------

    async def owe_response(self, *, id: str, response_url: str, kind: str, url: str, view: str | None = None,
                           url2: str | None = None, channel: str | None = None, user: str | None = None) -> None:
        now = time.time()
        stmt = self.insert(responses_owed).values(
            id=id, response_url=response_url, kind=kind, view=view, url=url, url2=url2, channel=channel,
            user=user, owner=self.holder, expires=now + self.lease_seconds, attempts=1,
            created=now).on_conflict_do_nothing()
        await self.write(lambda conn: conn.execute(stmt), "recording an answer owed")
        self._keep_alive()

    async def response_owner(self, id: str) -> str | None:
        """Who owes the answer `id` now (a `holder`), or None when nobody does."""

        async def query(conn: AsyncConnection) -> str | None:
            return (await conn.execute(select(responses_owed.c.owner).where(responses_owed.c.id == id))).scalar()

        return await self.read(query)

    async def settle_response(self, id: str) -> None:
        await self.write(lambda conn: conn.execute(delete(responses_owed).where(responses_owed.c.id == id)),
                         "settling an answer owed")

    async def take_over_responses(self, limit: int = 20) -> list[OwedResponse]:
        """Answers owed by processes that stopped beating: each becomes ours alone. Rows past Slack's 30
        minutes are deleted: nobody can answer them any more."""
        now = time.time()

        async def find(conn: AsyncConnection) -> list:
            await conn.execute(delete(responses_owed).where(responses_owed.c.created < now - RESPONSE_URL_SECONDS))
            return list(await conn.execute(select(responses_owed).where(responses_owed.c.expires < now)
                                           .order_by(responses_owed.c.created).limit(limit)))

        won: list[OwedResponse] = []
        for row in await self.write(find, "looking for answers owed"):
            async def claim(conn: AsyncConnection, row=row) -> bool:
                result = await conn.execute(
                    update(responses_owed)
                    .where(responses_owed.c.id == row.id, responses_owed.c.expires < now)
                    .values(owner=self.holder, expires=time.time() + self.lease_seconds,
                            attempts=responses_owed.c.attempts + 1))
                return result.rowcount == 1

            if await self.write(claim, "taking over an answer owed"):
                won.append(OwedResponse(row.id, row.response_url, row.kind, row.view, row.url, row.url2,
                                        row.channel, row.user, row.attempts + 1, row.created))
        if won:
            self._keep_alive()
        return won

    async def hand_over_responses(self) -> set[str]:
        """This process is stopping: its answers owed go to the other processes at once."""
        where = responses_owed.c.owner == self.holder

        async def query(conn: AsyncConnection) -> set[str]:
            ids = {row.id for row in await conn.execute(select(responses_owed.c.id).where(where))}
            await conn.execute(update(responses_owed).where(where).values(owner=f"stopped:{self.holder}",
                                                                           expires=0.0))
            return ids

        return await self.write(query, "handing over answers owed")

    # --- heartbeat ----------------------------------------------------------------------------------------

    async def renew(self) -> None:
        """Push this process's leases and replies owed forward: it is alive."""
        expires = time.time() + self.lease_seconds

        async def query(conn: AsyncConnection) -> None:
            await conn.execute(update(leases).where(leases.c.holder == self.holder).values(expires=expires))
            await conn.execute(update(replies_owed).where(replies_owed.c.owner == self.holder)
                               .values(expires=expires))
            await conn.execute(update(responses_owed).where(responses_owed.c.owner == self.holder)
                               .values(expires=expires))

        await self.write(query, "renewing leases")

    def _keep_alive(self) -> None:
        if self._beat is None or self._beat.done():
            self._beat = asyncio.get_running_loop().create_task(self._heartbeat(), name="newsbot-store-heartbeat")

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                await self.renew()
            except Exception as e:  # the next beat may get through; a lease outliving us is what expiry is for
                log.warning("could not renew this process's leases: %s", e)

    async def close(self) -> None:
        if self._beat is not None:
            self._beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beat
            self._beat = None
        await super().close()
