"""The scans of one day — zombie flags, then reminders — run by one replica at a time: a lease
in the database (shared.outbox.lease, as the relay's) is taken for the scan and renewed while
it lasts. The daily schedule, `POST /v1/scans` and `socorg zombie-scan` all go through here.

The recorded flags and reminders mean "as of the latest day that has come": a day after the
service clock's today is refused (a scan of 2030 would raise 2029's overdue reminders years
early, and their keys would keep them from being raised on the true day); a day before the
latest day a scan recorded is answered (its candidates) but records nothing (its flags would
undo a later scan's). Any day from the latest recorded one to today records.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from services.notifier.adapters import scans_sql
from services.notifier.app.reminders import ReminderScan, RemindersRaised
from services.notifier.app.scan import Scanner, ScanResult
from services.notifier.domain.reminders import KINDS
from shared.clock import Clock
from shared.db import WRITE
from shared.outbox.lease import Lease

LEASE = "scan:notifier"
# The days a scan may judge: the rules look a year back and ahead of the day.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class ScanRunning(RuntimeError):
    """Another replica (or command) is scanning: this scan did not start."""


class ScanDayInFuture(ValueError):
    """The day asked for has not come yet on the service's clock: nothing is scanned."""

    def __init__(self, on: date, today: date) -> None:
        super().__init__(
            f"{on} has not come yet (today is {today}): a scan judges a day up to today"
        )
        self.on, self.today = on, today


@dataclass(frozen=True)
class DayScanned:
    zombies: ScanResult
    reminders: RemindersRaised
    recorded: bool = True  # False: a day before `latest`, answered and not recorded
    latest: date | None = None  # the latest day a scan recorded, after this one


@dataclass
class DayScan:
    zombies: Scanner
    reminders: ReminderScan
    lease: Lease
    clock: Clock
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, on: date, *, client: str = "notifier") -> DayScanned:
        """Scan `on`; ScanDayInFuture after today, ScanRunning when another holder of the
        lease is scanning; a day before the latest one recorded is judged, not recorded."""
        if not FIRST_DAY <= on <= LAST_DAY:
            raise ValueError(f"a scan judges a day from {FIRST_DAY} to {LAST_DAY}, not {on}")
        today = self.clock.today()
        if on > today:
            raise ScanDayInFuture(on, today)
        async with self.lock:
            if not await self.lease.try_acquire():
                raise ScanRunning(f"another process holds the {LEASE} lease")
            keep = asyncio.create_task(self._renew())
            try:
                return await self._scan(on, client)
            finally:
                keep.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keep
                await self.lease.release()

    async def _scan(self, on: date, client: str) -> DayScanned:
        engine = self.zombies.store.engine.execution_options(**WRITE)
        async with engine.begin() as conn:
            latest = await scans_sql.latest(conn)
            if latest is None or latest <= on:  # recorded first: a scan stopped half-way
                await scans_sql.begun(conn, on, client=client, at=datetime.now(UTC))
        if latest is not None and on < latest:
            judged = await self.zombies.judge(on)
            return DayScanned(judged, RemindersRaised(on, dict.fromkeys(KINDS, 0)), False, latest)
        zombies = await self.zombies.scan(on, client=client, today=self.clock.today())
        reminders = await self.reminders.scan(on, client=client)
        async with engine.begin() as conn:
            await scans_sql.finished(conn, on, at=datetime.now(UTC))
        return DayScanned(zombies, reminders, True, on)

    async def _renew(self) -> None:
        """Renew every third of the lease's time while the scan goes on (a long first scan)."""
        every = self.lease.ttl / 3
        while True:
            await asyncio.sleep(every.total_seconds())
            await self.lease.try_acquire()
