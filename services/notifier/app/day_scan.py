"""The scans of one day — zombie flags, then reminders — run by one replica at a time: a lease
in the database (shared.outbox.lease, as the relay's) is taken for the scan and renewed while
it lasts. The daily schedule, `POST /v1/scans` and `socorg zombie-scan` all go through here."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import date

from services.notifier.app.reminders import ReminderScan, RemindersRaised
from services.notifier.app.scan import Scanner, ScanResult
from shared.outbox.lease import Lease

LEASE = "scan:notifier"
# The days a scan may judge: the rules look a year back and ahead of the day.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class ScanRunning(RuntimeError):
    """Another replica (or command) is scanning: this scan did not start."""


@dataclass(frozen=True)
class DayScanned:
    zombies: ScanResult
    reminders: RemindersRaised


@dataclass
class DayScan:
    zombies: Scanner
    reminders: ReminderScan
    lease: Lease
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, on: date, *, client: str = "notifier") -> DayScanned:
        """Scan `on`; ScanRunning when another holder of the lease is scanning."""
        if not FIRST_DAY <= on <= LAST_DAY:
            raise ValueError(f"a scan judges a day from {FIRST_DAY} to {LAST_DAY}, not {on}")
        async with self.lock:
            if not await self.lease.try_acquire():
                raise ScanRunning(f"another process holds the {LEASE} lease")
            keep = asyncio.create_task(self._renew())
            try:
                zombies = await self.zombies.scan(on, client=client)
                reminders = await self.reminders.scan(on, client=client)
            finally:
                keep.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keep
                await self.lease.release()
            return DayScanned(zombies, reminders)

    async def _renew(self) -> None:
        """Renew every third of the lease's time while the scan goes on (a long first scan)."""
        every = self.lease.ttl / 3
        while True:
            await asyncio.sleep(every.total_seconds())
            await self.lease.try_acquire()
