"""The senders' loop (shared/outbox/worker.py) on a real lease, SQLite and PostgreSQL: one
replica sends at a time, another takes over when it stops, a kick starts a round, a failed
round is not the end, and a round stops between items once it is no longer leading."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.outbox.lease import Lease
from shared.outbox.worker import Leading, LeasedWorker

NEVER = 3600.0  # a poll that never comes round in a test: only a kick starts the next round
WAIT = 30.0  # how long a test waits for a round before it fails instead of hanging


class Rounds:
    """A `send` that records its rounds, tries `items` items each (asking `leading` before
    each), and can be told what to do in a round."""

    def __init__(self, items: int = 1) -> None:
        self.items = items
        self.count = 0
        self.sent: list[int] = []
        self.started = asyncio.Event()
        self.during: list[object] = []  # per round: an exception to raise, or a callable

    async def __call__(self, leading: Leading) -> int:
        self.count += 1
        self.started.set()
        todo = self.during.pop(0) if self.during else None
        if isinstance(todo, Exception):
            raise todo
        for item in range(self.items):
            if not leading():
                break
            self.sent.append(item)
            if callable(todo):
                todo()
        return 0  # as if nothing was due: the worker idles after every round

    async def next_round(self) -> None:
        self.started.clear()
        await asyncio.wait_for(self.started.wait(), WAIT)


def worker(engine: AsyncEngine, holder: str, send: Rounds, **kw: object) -> LeasedWorker:
    lease = Lease(engine, "test:worker", holder, timedelta(seconds=30))
    return LeasedWorker(name="test", lease=lease, send=send, poll=NEVER, **kw)  # type: ignore[arg-type]


async def test_only_the_holder_sends_and_another_replica_takes_over_once_it_stops(
    engine: AsyncEngine,
) -> None:
    a_rounds, b_rounds = Rounds(), Rounds()
    heard: list[bool] = []
    a = worker(engine, "replica-a", a_rounds)
    b = worker(engine, "replica-b", b_rounds, on_lead=heard.append)
    await a.step()
    await b.step()
    assert (a_rounds.count, b_rounds.count, heard) == (1, 0, [False])
    a.stop()
    await a.run()  # stopped already: it only releases the lease
    await b.step()
    assert (b_rounds.count, heard) == (1, [False, True])
    b.stop()
    await b.run()
    assert heard == [False, True, False]


async def test_a_kick_starts_a_round_without_waiting_for_the_poll(engine: AsyncEngine) -> None:
    rounds = Rounds()
    w = worker(engine, "replica-a", rounds)
    task = asyncio.create_task(w.run())
    try:
        await asyncio.wait_for(rounds.started.wait(), WAIT)
        w.kick()
        await rounds.next_round()
        assert rounds.count == 2
    finally:
        w.stop()
        await task


async def test_a_kick_during_a_round_starts_another_round(engine: AsyncEngine) -> None:
    # A commit that lands while a round reads may not be seen by it: its kick is not lost.
    rounds = Rounds()
    w = worker(engine, "replica-a", rounds)
    rounds.during.append(w.kick)
    task = asyncio.create_task(w.run())
    try:
        await asyncio.wait_for(rounds.started.wait(), WAIT)
        await rounds.next_round()
        assert rounds.count == 2
    finally:
        w.stop()
        await task


async def test_a_failed_round_is_logged_and_the_next_one_runs(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    rounds = Rounds()
    rounds.during.append(RuntimeError("the database is away"))
    w = worker(engine, "replica-a", rounds)
    task = asyncio.create_task(w.run())
    try:
        with caplog.at_level(logging.WARNING, logger="socorg.worker"):
            await asyncio.wait_for(rounds.started.wait(), WAIT)
            w.kick()
            await rounds.next_round()
        assert rounds.sent == [0]  # the second round sent
        assert "test: a step failed" in caplog.messages
    finally:
        w.stop()
        await task


async def test_a_round_stops_between_items_once_a_stop_is_asked_and_the_lease_is_freed(
    engine: AsyncEngine,
) -> None:
    rounds = Rounds(items=3)
    w = worker(engine, "replica-a", rounds)
    rounds.during.append(w.stop)  # asked while the first item is sent
    await asyncio.wait_for(w.run(), WAIT)
    assert rounds.sent == [0]
    other = Lease(engine, "test:worker", "replica-b", timedelta(seconds=30))
    assert await other.try_acquire()  # released, not left to expire
    await other.release()
