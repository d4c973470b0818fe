"""AcksFirst: work after an ack waits while requests are being acked, is let go one at a time, and never
waits longer than max_wait."""

from __future__ import annotations

import asyncio

from bot.slack.acks_first import AcksFirst


async def test_with_no_acks_for_a_while_wait_returns_at_once():
    acks = AcksFirst(max_wait=5, quiet=0.001)
    await asyncio.sleep(0.01)
    await asyncio.wait_for(acks.wait(), 0.1)


async def test_work_waits_for_the_ack_in_progress_and_the_quiet_after_it():
    acks = AcksFirst(max_wait=5, quiet=0.05)
    order: list[str] = []

    async def work() -> None:
        await acks.wait()
        order.append("work")

    with acks.acking():
        task = asyncio.create_task(work())
        await asyncio.sleep(0.02)
        order.append("ack")
    loop = asyncio.get_running_loop()
    acked_at = loop.time()
    await task
    assert order == ["ack", "work"]
    assert loop.time() - acked_at >= 0.04  # not in the gap before the next request of a burst


async def test_waiters_go_one_at_a_time_oldest_first_and_a_new_ack_stops_them():
    acks = AcksFirst(max_wait=5, quiet=0.001)
    done: list[int] = []
    new_ack = asyncio.Event()

    async def work(i: int) -> None:
        await acks.wait()
        done.append(i)
        if i == 1:  # a request arrives while the first waiter runs: the others must wait for it
            new_ack.set()
            with acks.acking():
                await asyncio.sleep(0.05)
                assert done == [0, 1]

    with acks.acking():
        tasks = [asyncio.create_task(work(i)) for i in range(5)]
        await asyncio.sleep(0.01)
    await asyncio.gather(*tasks)
    assert done == [0, 1, 2, 3, 4]


async def test_a_steady_flood_of_acks_still_lets_work_go_after_max_wait():
    acks = AcksFirst(max_wait=0.05, quiet=0.001)
    loop = asyncio.get_running_loop()
    with acks.acking():
        started = loop.time()
        await acks.wait()
        assert 0.04 <= loop.time() - started < 1


async def test_a_cancelled_waiter_does_not_hold_up_the_others():
    acks = AcksFirst(max_wait=5, quiet=0.001)
    with acks.acking():
        first = asyncio.create_task(acks.wait())
        second = asyncio.create_task(acks.wait())
        await asyncio.sleep(0.01)
        first.cancel()
    await asyncio.wait_for(second, 1)
    assert acks.waiting == 0
