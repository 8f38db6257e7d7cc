"""`socorg zombie-scan --on DAY`: the notifier's scan of one day (zombie flags, then reminders),
from the command line.

It writes to the notifier's database (SOCORG_NOTIFIER_ settings) as the service's own scan
does; the relay (in the running service, or `socorg relay notifier`) publishes its events.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from services.notifier.app.day_scan import (
    FIRST_DAY,
    LAST_DAY,
    DayScanned,
    ScanDayInFuture,
    ScanRunning,
)
from services.notifier.bootstrap import bootstrap
from services.notifier.settings import NotifierSettings
from shared.clock import ShanghaiClock
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore

console = Console()


def zombie_scan(
    on: Annotated[
        str | None,
        typer.Option(help="the day judged, YYYY-MM-DD, up to today (default: today, Shanghai)"),
    ] = None,
) -> None:
    """Scan the register on a day: zombie flags raised and cleared, reminders raised, as events."""
    try:
        day = date.fromisoformat(on) if on else ShanghaiClock().today()
    except ValueError:
        raise typer.BadParameter(f"--on must be a day YYYY-MM-DD, not {on!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise typer.BadParameter(f"--on must be a day from {FIRST_DAY} to {LAST_DAY}")
    try:
        done = asyncio.run(_scan(NotifierSettings(), day))
    except ScanRunning as running:
        console.print(f"not scanned: {running}; try again later", highlight=False)
        raise typer.Exit(1) from None
    except ScanDayInFuture as future:
        raise typer.BadParameter(f"--on: {future}") from None
    result = done.zombies
    if not done.recorded:
        console.print(
            f"{result.on}: {result.candidates} candidates; nothing recorded (the latest scan "
            f"recorded {done.latest}: a scan of an earlier day only answers)",
            highlight=False,
        )
        return
    console.print(
        f"{result.on}: {result.candidates} candidates; flagged {result.flagged}, cleared "
        f"{result.cleared}; signals raised {result.signals_raised}, cleared "
        f"{result.signals_cleared}",
        highlight=False,
    )
    raised = ", ".join(f"{kind} {n}" for kind, n in done.reminders.raised.items())
    console.print(f"reminders raised: {raised}", highlight=False)


async def _scan(settings: NotifierSettings, day: date) -> DayScanned:
    engine = make_async_engine(settings.database_url.get_secret_value())
    try:
        store = SqlEventStore(engine, max_event_bytes=settings.event_max_bytes)
        notifier = bootstrap(
            store=store,
            config=settings.zombie(),
            clock=ShanghaiClock(),
            reminders=settings.reminders(),
        )
        return await notifier.day_scan.run(day, client="cli")
    finally:
        await engine.dispose()
