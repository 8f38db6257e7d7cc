"""Commit a batch of planned rows: many streams in one transaction, read model included.

Each row's planned events are compared with what its stream already holds (outcomes.compare);
an identifier held by another organization is an error too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.adapters.read_model import project, row_of
from services.registry.adapters.tables import annual_reports, organizations
from services.registry.app.imports.outcomes import Outcome, Stored, compare, error
from services.registry.app.imports.plan import Planned
from services.registry.app.streams import stream_of
from services.registry.domain.organization import Organization, domicile_of
from services.registry.domain.places import Places
from shared.db import among, insert_rows
from shared.eventstore import EventMetadata, EventTooLarge
from shared.eventstore.model import check_sizes
from shared.eventstore.sql import SqlUnitOfWork
from shared.rules.reporting import NATIONAL, ReportingConfig
from shared.tables import events


async def commit_batch(
    uow: SqlUnitOfWork,
    batch: Sequence[Planned],
    places: Places,
    metadata: Callable[[Planned], EventMetadata],
    *,
    thorough: bool = True,
    reporting: ReportingConfig = NATIONAL,
) -> list[Outcome]:
    """Append the batch's new events in `uow` and write the read model; one outcome per row.

    An organization's id derives from its identifier, so a stream on the register is found
    by that identifier. Not `thorough`, only those streams are read: a stream whose
    organization holds another identifier now (changed since) is then missed, its append
    fails the version check, and the caller retries the rows thoroughly.
    """
    conn = uow.connection
    holders = await _holders(conn, batch)
    ids = [p.organization.organization_id for p in batch]
    if not thorough:  # the streams of the organizations that hold their identifiers already
        ids = [i for p, i in zip(batch, ids, strict=True) if holders.get(p.identifier) == i]
    stored = await _streams(conn, ids) if ids else {}
    outcomes: list[Outcome] = []
    tails: list[tuple[Planned, int]] = []
    seen: dict[str, Stored] = {}
    for p in batch:
        oid = p.organization.organization_id
        holder = holders.get(p.identifier)
        planned = p.stored
        if holder is not None and holder != oid:
            outcomes.append(error(p, "duplicate-identifier", f"held by organization {holder}"))
        elif oid in seen:  # the same identifier earlier in this batch
            same = seen[oid] == planned
            outcomes.append("unchanged" if same else error(p, "conflicting-row", _EARLIER))
        else:
            seen[oid] = planned
            outcome, start = compare(p, stored.get(oid, []))
            if start is not None and (too_large := _oversized(uow, p, start, metadata(p))):
                outcome, start = too_large, None  # the row's error, not the batch's
            outcomes.append(outcome)
            if start is not None:
                tails.append((p, start))
    # the read model first; the appends go with the COMMIT
    await _project(uow, tails, places, reporting)
    for p, start in tails:
        _append(uow, p, start, metadata(p))
    return outcomes


_EARLIER = "the identifier appears earlier in this import with other content"


def _oversized(uow: SqlUnitOfWork, p: Planned, start: int, meta: EventMetadata) -> Outcome | None:
    """The row's error when one of its events is over the store's EVENT_MAX_BYTES."""
    stream = stream_of(p.organization.organization_id)
    try:
        check_sizes(stream, p.new_events[start:], meta, uow.max_event_bytes)
    except EventTooLarge as exc:
        return error(p, "event-too-large", str(exc))
    return None


def _append(uow: SqlUnitOfWork, p: Planned, start: int, meta: EventMetadata) -> None:
    org = p.organization
    uow.append(
        stream_of(org.organization_id),
        start,
        p.new_events[start:],
        metadata=meta,
        division=domicile_of(org)[:6],
    )


async def _project(
    uow: SqlUnitOfWork,
    tails: list[tuple[Planned, int]],
    places: Places,
    reporting: ReportingConfig,
) -> None:
    """New organizations in two bulk inserts; organizations that grew, event by event."""
    rows, reports = [], []
    for p, start in tails:
        org = p.organization
        if start == 0:
            rows.append(row_of(org, places, reporting))
            reports.extend(_report_rows(org))
            continue
        for state, event in zip(p.states[start:], p.events[start:], strict=True):
            await project(uow, state, event, places, reporting)
    await insert_rows(uow.connection, organizations, rows)
    await insert_rows(uow.connection, annual_reports, reports)


def _report_rows(org: Organization) -> list[dict[str, Any]]:
    out = []
    for year, report in org.reports.items():
        inspection = org.inspections.get(year)
        out.append(
            {
                "organization_id": org.organization_id,
                "year": year,
                "submitted_on": report.submitted_on,
                "staff_employed": report.staff_employed,
                "conclusion": inspection.conclusion if inspection else None,
                "concluded_on": inspection.concluded_on if inspection else None,
            }
        )
    return out


async def _streams(conn: AsyncConnection, ids: list[str]) -> dict[str, Stored]:
    """What each organization's stream holds now, as (type, data) in version order."""
    streams = [stream_of(i) for i in ids]
    q = (
        select(events.c.stream_id, events.c.type, events.c.data)
        .where(among(conn.dialect.name, events.c.stream_id, streams))
        .order_by(events.c.stream_id, events.c.version)
    )
    out: dict[str, Stored] = {}
    cut = len(stream_of(""))
    for stream_id, type_, data in (await conn.execute(q)).all():
        out.setdefault(stream_id[cut:], []).append((type_, data))
    return out


async def _holders(conn: AsyncConnection, batch: Sequence[Planned]) -> dict[str, str]:
    """Which organization holds each identifier of the batch on the register now."""
    codes = [p.identifier for p in batch if p.organization.credit_code]
    numbers = [p.identifier for p in batch if p.organization.filing_number]
    o, dialect = organizations, conn.dialect.name
    q = union(  # one index scan each (an OR of the two may tempt the planner into a full scan)
        select(o.c.id, o.c.credit_code, o.c.filing_number).where(
            among(dialect, o.c.credit_code, codes)
        ),
        select(o.c.id, o.c.credit_code, o.c.filing_number).where(
            among(dialect, o.c.filing_number, numbers)
        ),
    )
    out: dict[str, str] = {}
    for oid, code, number in (await conn.execute(q)).all():
        out[code or number] = oid
    return out
