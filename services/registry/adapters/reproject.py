"""Write the read model's derived columns again from the events, for every organization.

A migration that adds such a column (registry_0006: the latest grade's first day, the grade it
replaced; the annual-report standing of registry_0005) calls it, so that rows written before
the column existed are as true as new ones. It folds each organization's events exactly as a
command does (`Organization.replay`) and derives the columns with `derived_columns`, the one
definition the read model writes on every append.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from services.registry.adapters.read_model import derived_columns
from services.registry.adapters.tables import organizations
from services.registry.app.streams import CODEC, STREAM_PREFIX
from services.registry.domain.organization import Organization
from shared.contracts.base import get_contract
from shared.rules.reporting import NATIONAL, ReportingConfig
from shared.tables import events

BATCH = 2_000  # organizations folded and written per round


def reproject(conn: Connection, reporting: ReportingConfig = NATIONAL) -> int:
    """Rewrite the derived columns of every organization's row; the number of rows."""
    o = organizations.c
    statement = update(organizations).where(o.id == bindparam("_id"))
    written, after = 0, ""
    while ids := list(
        conn.execute(select(o.id).where(o.id > after).order_by(o.id).limit(BATCH)).scalars()
    ):
        rows = [
            {"_id": org.organization_id, **derived_columns(org, reporting)}
            for org in _folded(conn, ids)
        ]
        if rows:
            conn.execute(statement, rows)
        written, after = written + len(rows), ids[-1]
    return written


def _folded(conn: Connection, ids: list[str]) -> Iterator[Organization]:
    e = events.c
    q = (
        select(e.stream_id, e.type, e.schema_version, e.data)
        .where(e.stream_id.in_([STREAM_PREFIX + i for i in ids]))
        .order_by(e.stream_id, e.version)
    )
    for stream, stored in groupby(conn.execute(q), key=lambda row: str(row.stream_id)):
        yield Organization.replay(stream.removeprefix(STREAM_PREFIX), [_parsed(r) for r in stored])


def _parsed(row: Any) -> Any:
    return get_contract(CODEC.producer, row.type).parse(row.data, row.schema_version)
