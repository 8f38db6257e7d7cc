"""A job run once a day inside a service, at a time of day in Asia/Shanghai, for that day.
Missed runs (the process was down) are not caught up: a scan judges its whole day, and the
API runs one on demand for any date."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

from shared.clock import SHANGHAI, Clock

log = logging.getLogger("socorg.schedule")


def next_run(now: datetime, at: time) -> datetime:
    """The first `at` (Asia/Shanghai) strictly after `now`."""
    local = now.astimezone(SHANGHAI)
    run = datetime.combine(local.date(), at, SHANGHAI)
    return run if run > local else datetime.combine(local.date() + timedelta(days=1), at, SHANGHAI)


async def daily(
    at: time,
    job: Callable[[date], Awaitable[object]],
    name: str,
    now: Callable[[], datetime] = lambda: datetime.now(SHANGHAI),
    elsewhere: tuple[type[Exception], ...] = (),
    *,
    clock: Clock | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Run `job(day)` every day at `at` until cancelled; a failure is logged, not fatal, and
    one of `elsewhere` (the job runs in another replica, which holds its lease) is left to it.

    `day` is `clock`'s today when the run comes (the service's own clock, which its rules
    judge by: a scan must not judge a day its clock has not reached), else the run's date;
    `now` and `sleep` are the wall clock the runs wait on."""
    while True:
        run = next_run(now(), at)
        await sleep(max(0.0, (run - now()).total_seconds()))
        day = clock.today() if clock is not None else run.date()
        try:
            await job(day)
        except elsewhere:
            log.info("the %s of %s runs in another replica", name, day)
        except Exception:  # the next day's run tries again; the API can run one meanwhile
            log.exception("scheduled %s of %s failed", name, day)
