"""The notifier's daily scan loop (shared/schedule.py `daily`) on an injected wall clock and the
service's Clock, with a fake job: it runs at the time of day for the clock's day, and goes on
after a scan running elsewhere and after a failure."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest

from services.notifier.app.day_scan import ScanRunning
from shared.clock import SHANGHAI, FixedClock
from shared.schedule import daily

SIX = time(6, 0)


@dataclass
class Wall:
    """The wall clock the loop waits on: `sleep` moves it on; after `runs` waits it stops
    the loop (as the service's shutdown cancels it)."""

    at: datetime
    runs: int
    waits: list[float] = field(default_factory=list)

    def now(self) -> datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        if len(self.waits) == self.runs:
            raise asyncio.CancelledError
        self.waits.append(seconds)
        self.at += timedelta(seconds=seconds)


@dataclass
class Follows:
    """A service clock that reads the wall (as ShanghaiClock reads the system's)."""

    wall: Wall

    def today(self) -> date:
        return self.wall.at.astimezone(SHANGHAI).date()


async def test_each_run_is_for_the_service_clocks_day_and_survives_failures(
    caplog: pytest.LogCaptureFixture,
) -> None:
    wall = Wall(datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI), runs=3)
    clock = FixedClock(date(2025, 6, 1))  # the service's clock, not the wall's day
    days: list[date] = []

    async def job(day: date) -> None:
        days.append(day)
        clock.day += timedelta(days=1)
        if len(days) == 1:
            raise ScanRunning("another replica holds the lease")
        if len(days) == 2:
            raise RuntimeError("the database went away")

    caplog.set_level(logging.INFO, "socorg.schedule")
    with pytest.raises(asyncio.CancelledError):
        await daily(SIX, job, "scan", wall.now, (ScanRunning,), clock=clock, sleep=wall.sleep)
    assert days == [date(2025, 6, 1), date(2025, 6, 2), date(2025, 6, 3)]
    assert wall.waits == [20 * 3600, 24 * 3600, 24 * 3600]  # 06:00 Shanghai, each day
    said = [r.getMessage() for r in caplog.records]
    assert "the scan of 2025-06-01 runs in another replica" in said
    assert "scheduled scan of 2025-06-02 failed" in said


async def test_with_a_clock_that_follows_the_wall_each_run_is_for_its_own_day() -> None:
    wall = Wall(datetime(2025, 5, 31, 21, 30, tzinfo=SHANGHAI), runs=2)
    days: list[date] = []

    async def job(day: date) -> None:
        days.append(day)

    with pytest.raises(asyncio.CancelledError):
        await daily(SIX, job, "scan", wall.now, clock=Follows(wall), sleep=wall.sleep)
    assert days == [date(2025, 6, 1), date(2025, 6, 2)]
    assert wall.waits == [8.5 * 3600, 24 * 3600]
