"""The daily scan inside the service: at a configured time of day in Asia/Shanghai, the scan
of that day. Missed runs (the process was down) are not caught up: the next scan's diff
covers them, since a scan judges the whole register on its day."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

from services.notifier.app.day_scan import ScanRunning
from shared.clock import SHANGHAI

log = logging.getLogger("socorg.notifier")


def next_run(now: datetime, at: time) -> datetime:
    """The first `at` (Asia/Shanghai) strictly after `now`."""
    local = now.astimezone(SHANGHAI)
    run = datetime.combine(local.date(), at, SHANGHAI)
    return run if run > local else datetime.combine(local.date() + timedelta(days=1), at, SHANGHAI)


async def daily(
    at: time,
    scan: Callable[[date], Awaitable[object]],
    now: Callable[[], datetime] = lambda: datetime.now(SHANGHAI),
) -> None:
    """Run `scan(day)` every day at `at` until cancelled; a failed scan is logged, not fatal,
    and one another replica runs (it holds the scan's lease) is left to it."""
    while True:
        run = next_run(now(), at)
        await asyncio.sleep(max(0.0, (run - now()).total_seconds()))
        try:
            await scan(run.date())
        except ScanRunning:
            log.info("the scan of %s runs in another replica", run.date())
        except Exception:  # the next day's scan tries again; the API can run one meanwhile
            log.exception("scheduled scan of %s failed", run.date())
