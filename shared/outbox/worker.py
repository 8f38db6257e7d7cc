"""The loop of a worker that sends what its service's commits left due (ratings to the
registry, webhooks), in one replica at a time.

Each round, while this process holds the lease (shared.outbox.lease, renewed every third of
its time to live), `send` does the work due now and says how many items it tried. After a
round that tried none, or that failed (the database may be away), the worker waits `poll`
seconds, or less when `kick`ed (a commit wrote new work). `send` is given `leading` to ask
between items: once the lease is lost, or a stop asked for, the rest is left to the next
holder. The work is rows, never tasks in memory, so a worker killed at any point leaves them
due for the next one. Stopping releases the lease.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from shared.outbox.lease import Lease

log = logging.getLogger("socorg.worker")

Leading = Callable[[], bool]
Send = Callable[[Leading], Awaitable[int]]


class LeasedWorker:
    def __init__(
        self,
        *,
        name: str,
        lease: Lease,
        send: Send,
        poll: float,
        on_lead: Callable[[bool], object] = lambda held: None,
    ) -> None:
        """`on_lead` hears whether the lease is held at each renewal, and False at the end."""
        self.name = name
        self.lease = lease
        self.send = send
        self.poll = poll
        self.on_lead = on_lead
        self._wake = asyncio.Event()
        self._stopping = False
        self._renewed_at = 0.0

    def kick(self) -> None:
        """Look for due work now (a unit of work committed)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the items under way, then stop."""
        self._stopping = True
        self._wake.set()

    def leading(self) -> bool:
        """Whether a round goes on: the lease still held and no stop asked for."""
        return not self._stopping and self.lease.held

    async def run(self) -> None:
        try:
            while not self._stopping:
                # Cleared before the round, not after: a kick or a stop that comes while a
                # round runs (a commit it may not have seen) is still heard when it ends.
                self._wake.clear()
                try:
                    tried = await self.step()
                except Exception:  # the database may be away: try again after a pause
                    log.warning("%s: a step failed", self.name, exc_info=True)
                    tried = 0
                if not tried:
                    await self._idle()
        finally:
            self.on_lead(False)
            await asyncio.shield(self.lease.release())

    async def step(self) -> int:
        """One round, if this process holds the lease; how many items were tried."""
        if not await self._lead():
            return 0
        return await self.send(self.leading)

    async def _idle(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), self.poll)
        except TimeoutError:
            pass

    async def _lead(self) -> bool:
        """Hold the lease, renewed every third of its time to live."""
        now = asyncio.get_running_loop().time()
        if self.lease.held and now - self._renewed_at < self.lease.ttl.total_seconds() / 3:
            return True
        held = await self.lease.try_acquire()
        if held:
            self._renewed_at = now
        self.on_lead(held)
        return held
