"""A service's daily job caught as its app schedules it, then run once by hand: a test sees the
clock the job was given and what one run on that clock's today does."""

from __future__ import annotations

from datetime import time
from types import ModuleType
from typing import Any

import pytest

from shared.clock import FixedClock
from tests.integration.servers import serve


async def run_daily_job(
    monkeypatch: pytest.MonkeyPatch, main: ModuleType, settings: Any, clock: FixedClock
) -> Any:
    """Serve `main.create_app(settings, clock=clock)`, check that the job it schedules with
    `main.daily` runs on `clock`, and run it for the clock's today: what the job returns."""
    scheduled: dict[str, Any] = {}

    async def schedule(at: time, job: Any, name: str, *args: Any, **kwargs: Any) -> None:
        scheduled.update(kwargs, job=job)

    monkeypatch.setattr(main, "daily", schedule)
    async with serve(main.create_app(settings, clock=clock)):
        assert scheduled["clock"] is clock, "the daily job is not given the service's clock"
        return await scheduled["job"](clock.today())
