"""The notifier's projection of REGISTRY: organizations, their reports, ends (撤销, 吊销, 注销;
注销备案 / 撤销备案 of a community organization), disposals, latest rating and credit-list facts
(found unreachable, removed from the 活动异常名录), as the zombie and reminder scans read them;
a late report, an end or a removal clears a flag in the same transaction.

A batch is applied at once: the stored rows its changes touch are read in two queries, the
events are folded over them in stream order (fold.py), and the rows made or changed are
written back in a few multi-row statements per table (stored rows deleted, then every new
and changed row inserted). A single event is a batch of one. It reads only the subjects it
needs. Derived columns (`first_year`) follow the notifier's
settings at the time an event is applied: after changing the reporting settings, rebuild
the projection (POST /v1/projections/{name}/rebuild).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.tables import (
    PROJECTION_TABLES,
    credit_facts,
    disposals,
    organizations,
    ratings,
    reports,
)
from services.notifier.app.clearing import clear_on_facts
from services.notifier.consumers.fold import Fold, Row, registration, touched
from services.notifier.domain.zombie import Record, ZombieConfig, first_required_year
from shared.bulk import insert_rows
from shared.consumer import Delivered, Projection
from shared.eventstore.codec import EventCodec

EVENTS = (
    "organization_registered",
    "community_organization_filed",
    "registration_changed",
    "annual_report_submitted",
    "charity_recognised",
    "registration_revoked",
    "certificate_revoked",
    "deregistered",
    "filing_cancelled",
    "disposal_ordered",
    "rectification_completed",
    "rating_changed",
    "unreachable_recorded",
    "credit_delisted",
)


class RegistryProjection(Projection):
    name = "notifier_registry"
    stream = "REGISTRY"
    filter_subjects = tuple(f"registry.*.*.*.{e}" for e in EVENTS)
    tables = PROJECTION_TABLES

    def __init__(self, config: ZombieConfig, codec: EventCodec, max_event_bytes: int) -> None:
        self.config = config
        self.codec = codec
        self.max_event_bytes = max_event_bytes

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        o, r, d, g = (tables[t.name] for t in (organizations, reports, disposals, ratings))
        c = tables[credit_facts.name]
        batch = list(events)
        fold = Fold()
        orgs, done = touched(batch)
        if orgs:
            for row in (
                await conn.execute(select(o).where(o.c.organization_id.in_(orgs)))
            ).mappings():
                fold.load_organization(dict(row))
        if done:
            q = select(d).where(tuple_(d.c.organization_id, d.c.ordered_on).in_(done))
            for row in (await conn.execute(q)).mappings():
                fold.load_disposal(dict(row))
        for event in batch:
            fold.apply(event, self._new(event))
        await _replace(conn, o, fold.organizations, fold.stored_organizations, o.c.organization_id)
        await insert_rows(conn, r, fold.reports)
        keys = tuple_(d.c.organization_id, d.c.ordered_on)
        await _replace(conn, d, fold.disposals, fold.stored_disposals, keys)
        await _replace(conn, g, fold.ratings, set(fold.ratings), g.c.organization_id)
        await insert_rows(conn, c, list(fold.credit_facts.values()), replace=True)
        # A rebuild writes shadow tables: the live consumer has cleared what was to clear.
        live = tables[organizations.name] is organizations
        if fold.facts and live:
            await clear_on_facts(
                conn,
                fold.facts,
                config=self.config,
                codec=self.codec,
                max_event_bytes=self.max_event_bytes,
            )

    def _new(self, event: Delivered) -> Row | None:
        """The row a registration or a filing makes (None for any other event)."""
        made = registration(event)
        if made is None:
            return None
        org, kind, day, name, domicile, supervised = made
        return {
            "organization_id": org,
            "name": name,
            "kind": kind,
            "division": event.division,
            "domicile": domicile,
            "registered_on": day,
            "registered_year": day.year,
            "first_year": first_required_year(Record(kind, day), self.config),
            "charity_since": None,
            "charity_year": None,
            "supervised": supervised,
            "revoked_on": None,
            "revoked_by": None,
            "deregistered_on": None,
            "ended_on": None,
        }


async def _replace(
    conn: AsyncConnection, t: Table, rows: Mapping[Any, Row], stored: set[Any], key: Any
) -> None:
    """Write `rows`: the stored ones among them deleted first, then all inserted."""
    if stored:
        await conn.execute(delete(t).where(key.in_(sorted(stored))))
    await insert_rows(conn, t, list(rows.values()))
