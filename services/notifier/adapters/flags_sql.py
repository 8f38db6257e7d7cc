"""The flags' rows beside their events: each change appended to its stream at the row's
version and the row written, in the caller's unit of work (a scan's, or a consumer batch's)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.deliveries_sql import Outgoing, enqueue
from services.notifier.adapters.tables import zombie_flags as f
from services.notifier.domain.flags import FlagChange, stream_of
from shared.eventstore.codec import EventCodec
from shared.eventstore.model import EventMetadata
from shared.eventstore.sql import SqlUnitOfWork

CHUNK = 500  # ids per IN list


@dataclass(frozen=True)
class ActiveFlag:
    organization_id: str
    flag: str
    division: str
    as_of: date
    first_missed: int | None


async def active_flags(
    conn: AsyncConnection, *, flag: str | None = None, organizations: Collection[str] | None = None
) -> dict[tuple[str, str], ActiveFlag]:
    """The flags raised and not cleared, by (organization, flag)."""
    found: dict[tuple[str, str], ActiveFlag] = {}
    q = select(f.c.organization_id, f.c.flag, f.c.division, f.c.as_of, f.c.first_missed).where(
        f.c.active
    )
    if flag is not None:
        q = q.where(f.c.flag == flag)
    batches: list[list[str] | None] = [None]
    if organizations is not None:
        ids = sorted(organizations)
        batches = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    for batch in batches:
        query = q if batch is None else q.where(f.c.organization_id.in_(batch))
        for r in await conn.execute(query):
            found[(r.organization_id, r.flag)] = ActiveFlag(*r)
    return found


async def judged_after(
    conn: AsyncConnection, on: date, *, today: date | None = None
) -> set[tuple[str, str]]:
    """The (organization, flag) pairs whose latest event is dated after `on`: a scan of `on`
    leaves them as they are (a fact of a later day, e.g. a late report, decided them). Not
    those dated after `today`: no day after today has come, so such a flag (left by a scan
    of a future day, before app/day_scan.py refused them) is judged again."""
    q = select(f.c.organization_id, f.c.flag).where(f.c.as_of > on)
    if today is not None:
        q = q.where(f.c.as_of <= today)
    return {(r.organization_id, r.flag) for r in await conn.execute(q)}


async def record(
    uow: SqlUnitOfWork,
    changes: Sequence[FlagChange],
    *,
    codec: EventCodec,
    metadata: EventMetadata,
) -> None:
    """Append each change's event at its stream's version and write its row, and the
    webhook deliveries of the events (deliveries_sql.enqueue), all in the unit of work."""
    conn = uow.connection
    versions = await _versions(conn, changes)
    new_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    outgoing: list[Outgoing] = []
    for c in changes:
        at = versions.get((c.organization_id, c.flag), 0)
        event = codec.encode(c.event())
        uow.append(
            stream_of(c.flag, c.organization_id),
            at,
            [event],
            metadata=metadata,
            division=c.division,
        )
        outgoing.append(Outgoing(event.event_id, event.type, c.division))
        row = _row(c, at + 1)
        (updates if at else new_rows).append(row)
    if new_rows:
        await conn.execute(insert(f), new_rows)
    for row in updates:
        values = {k: v for k, v in row.items() if k not in ("organization_id", "flag")}
        if not row["active"]:  # a clear keeps the evidence of the flag it clears
            values = {
                k: values[k] for k in ("active", "version", "as_of", "cleared_on", "cleared_reason")
            }
        await conn.execute(
            update(f)
            .where(and_(f.c.organization_id == row["organization_id"], f.c.flag == row["flag"]))
            .values(values)
        )
    await enqueue(uow, outgoing, datetime.now(UTC))


def _row(c: FlagChange, version: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "organization_id": c.organization_id,
        "flag": c.flag,
        "division": c.division,
        "active": c.raised,
        "version": version,
        "as_of": c.on,
        "flagged_on": c.on,
        "since": c.since,
        "first_missed": c.missed[0].year if c.missed else None,
        "last_missed": c.missed[-1].year if c.missed else None,
        "cleared_on": None if c.raised else c.on,
        "cleared_reason": None if c.raised else c.reason,
    }
    return row


async def _versions(
    conn: AsyncConnection, changes: Sequence[FlagChange]
) -> dict[tuple[str, str], int]:
    ids = sorted({c.organization_id for c in changes})
    out: dict[tuple[str, str], int] = {}
    for i in range(0, len(ids), CHUNK):
        q = select(f.c.organization_id, f.c.flag, f.c.version).where(
            f.c.organization_id.in_(ids[i : i + CHUNK])
        )
        out |= {(r.organization_id, r.flag): r.version for r in await conn.execute(q)}
    return out
