"""The days scans recorded (`notifier_scans`): the latest one, a scan begun and finished."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.tables import scans as s


async def latest(conn: AsyncConnection) -> date | None:
    """The latest day a scan recorded (or began to), None before the first."""
    day: date | None = (await conn.execute(select(func.max(s.c.on)))).scalar()
    return day


async def begun(conn: AsyncConnection, on: date, *, client: str, at: datetime) -> None:
    """A scan of `on` begins to record (a day scanned again: its row starts anew)."""
    done = await conn.execute(
        update(s).where(s.c.on == on).values(client=client, started_at=at, finished_at=None)
    )
    if not done.rowcount:
        await conn.execute(insert(s).values(on=on, client=client, started_at=at))


async def finished(conn: AsyncConnection, on: date, *, at: datetime) -> None:
    await conn.execute(update(s).where(s.c.on == on).values(finished_at=at))
