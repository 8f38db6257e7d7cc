"""`socorg zombie-scan --on DAY`: the notifier's zombie scan of one day, from the command line.

It writes to the notifier's database (SOCORG_NOTIFIER_ settings) as the service's own scan
does; the relay (in the running service, or `socorg relay notifier`) publishes its events.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from services.notifier.app.scan import ScanResult
from services.notifier.bootstrap import bootstrap
from services.notifier.settings import NotifierSettings
from shared.clock import ShanghaiClock
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore

console = Console()


def zombie_scan(
    on: Annotated[
        str | None, typer.Option(help="the day judged, YYYY-MM-DD (default: today, Shanghai)")
    ] = None,
) -> None:
    """Scan the register for zombie candidates on a day; flags raised and cleared as events."""
    try:
        day = date.fromisoformat(on) if on else ShanghaiClock().today()
    except ValueError:
        raise typer.BadParameter(f"--on must be a day YYYY-MM-DD, not {on!r}") from None
    result = asyncio.run(_scan(NotifierSettings(), day))
    console.print(
        f"{result.on}: {result.candidates} candidates; flagged {result.flagged}, cleared "
        f"{result.cleared}; signals raised {result.signals_raised}, cleared "
        f"{result.signals_cleared}",
        highlight=False,
    )


async def _scan(settings: NotifierSettings, day: date) -> ScanResult:
    engine = make_async_engine(settings.database_url.get_secret_value())
    try:
        store = SqlEventStore(engine, max_event_bytes=settings.event_max_bytes)
        notifier = bootstrap(store=store, config=settings.zombie(), clock=ShanghaiClock())
        return await notifier.scanner.scan(day, client="cli")
    finally:
        await engine.dispose()
