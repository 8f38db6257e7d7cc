"""Fill a registry database with the `national` demo register by COPY, not through the API.

Loading a million organizations through POST /v1/imports would take most of an hour on the
2-core machine, so the list and get figures are measured on a register written directly:

- the rows are the `socorg demo national` generator's (same seed, same shape: real places,
  the profile's kind / grade / status shares, annual reports, ends);
- each row goes through the importer's own pure planning (`plan()`: the Organization
  aggregate decides the events) and the read model's own `row_of()`, so the `events` table
  holds exactly the streams an import would have written (same types, data, dates) and the
  `organizations` row is the one the importer would have projected;
- both tables are written with `COPY` by two worker processes (one per core), each planning
  every other row; positions are assigned in file order as a sequential import would;
- the indexes and unique constraints the migrations made are dropped before the load and
  re-created, from their own definitions, after it; then ANALYZE.

`annual_reports` is not filled: neither GET /v1/organizations nor GET /v1/organizations/{id}
reads it (the list reads `organizations`, the get folds the organization's event stream).
"""

from __future__ import annotations

import json
import multiprocessing
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import psycopg

from bench.common import conninfo
from services.registry.adapters.places_file import load_places
from services.registry.adapters.read_model import row_of
from services.registry.adapters.tables import organizations
from services.registry.app.imports.plan import plan
from services.registry.app.imports.rows import parse_row
from services.registry.app.streams import stream_of
from services.registry.app.timeline import act_date, start_of
from services.registry.demo.generate import generate
from services.registry.demo.profiles import NATIONAL, Profile
from services.registry.domain.organization import domicile_of
from shared.contracts import contract_of

SEED = 1
TODAY = date(2025, 6, 1)  # the demo's facts run to 31 May 2025
TABLES = ("events", "organizations")
EVENT_COLUMNS = (
    "position",
    "event_id",
    "stream_id",
    "version",
    "type",
    "schema_version",
    "data",
    "metadata",
    "division",
    "occurred_at",
    "recorded_at",
)
ORG_COLUMNS = tuple(c.name for c in organizations.columns)


@dataclass(frozen=True)
class Filled:
    organizations: int
    events: int
    seconds: float  # generate + plan + COPY
    index_seconds: float  # re-creating indexes and constraints, ANALYZE

    def as_json(self) -> dict[str, Any]:
        return {
            "organizations": self.organizations,
            "events": self.events,
            "load_seconds": round(self.seconds, 1),
            "index_seconds": round(self.index_seconds, 1),
            "how": "national demo rows planned by the importer's plan() and row_of(), "
            "written by COPY into events and organizations (not through the API)",
        }


def profile_of(organizations_wanted: int) -> Profile:
    factor = organizations_wanted / NATIONAL.total
    return NATIONAL if abs(factor - 1.0) < 1e-9 else NATIONAL.scaled(factor)


def events_of(raw: dict[str, Any]) -> int:
    """How many events the plan makes of a generated row (one per dated fact)."""
    reports = raw.get("annual_reports", [])
    return (
        1
        + ("charity_recognised_on" in raw)
        + len(reports)
        + sum(1 for r in reports if r.get("conclusion") is not None)
        + ("rating" in raw)
        + ("end" in raw)
    )


def _worker(db: str, profile: Profile, shard: int, shards: int, out: Any) -> None:
    places = load_places()
    now = datetime.now(UTC)
    meta = json.dumps({"client": "bench-fill", "import_id": "bench-national"})
    position = 0
    orgs = events = 0
    with (
        psycopg.connect(conninfo(db)) as ev_conn,
        psycopg.connect(conninfo(db)) as org_conn,
        ev_conn.cursor().copy(f"COPY events ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as ev,
        org_conn.cursor().copy(f"COPY organizations ({', '.join(ORG_COLUMNS)}) FROM STDIN") as oc,
    ):
        for i, raw in enumerate(generate(profile, places, seed=SEED)):
            first = position
            position += events_of(raw)
            if i % shards != shard:
                continue
            planned = plan(i + 1, parse_row(raw), places=places, today=TODAY)
            org = planned.organization
            if len(planned.events) != position - first:
                raise AssertionError(f"row {i + 1}: {len(planned.events)} events planned")
            stream = stream_of(org.organization_id)
            division = domicile_of(org)[:6]
            for version, event in enumerate(planned.events, start=1):
                c = contract_of(event)
                ev.write_row(
                    (
                        first + version,
                        uuid.uuid4(),
                        stream,
                        version,
                        c.name,
                        c.schema_version,
                        json.dumps(c.dump(event), ensure_ascii=False),
                        meta,
                        division,
                        start_of(act_date(event)),
                        now,
                    )
                )
            row = row_of(org, places)
            oc.write_row(tuple(row[c] for c in ORG_COLUMNS))
            orgs += 1
            events += len(planned.events)
    out.put((orgs, events))


def _constraints_and_indexes(cur: psycopg.Cursor[Any]) -> list[tuple[str, str, str]]:
    """(drop, create, name) of every index and PK/UNIQUE constraint of the filled tables."""
    out: list[tuple[str, str, str]] = []
    cur.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.conindid
        FROM pg_constraint c
        WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('p', 'u')
        """,
        (list(TABLES),),
    )
    backing = set()
    for table, name, definition, index_oid in cur.fetchall():
        backing.add(index_oid)
        out.append(
            (
                f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}',
                name,
            )
        )
    cur.execute(
        """
        SELECT i.indexrelid, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s)
        """,
        (list(TABLES),),
    )
    for oid, name, definition in cur.fetchall():
        if oid not in backing:
            out.append((f'DROP INDEX "{name}"', definition, name))
    return out


def fill(db: str, organizations_wanted: int, log: Any) -> Filled:
    """Write the national register (scaled to about `organizations_wanted`) into `db`."""
    profile = profile_of(organizations_wanted)
    with psycopg.connect(conninfo(db), autocommit=True) as conn, conn.cursor() as cur:
        ddl = _constraints_and_indexes(cur)
        for drop, _, _ in ddl:
            cur.execute(drop)
    started = time.perf_counter()
    shards = 2
    ctx = multiprocessing.get_context("fork")
    out: Any = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(db, profile, k, shards, out)) for k in range(shards)]
    for p in procs:
        p.start()
    counts = [out.get() for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise RuntimeError(f"fill worker exited with {p.exitcode}")
    seconds = time.perf_counter() - started
    orgs, events = sum(c[0] for c in counts), sum(c[1] for c in counts)
    log(f"  filled {orgs:,} organizations, {events:,} events by COPY in {seconds:.0f}s")
    started = time.perf_counter()
    with psycopg.connect(conninfo(db), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '256MB'")
        for _, create, _ in ddl:
            cur.execute(create)
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('events', 'position'), "
            "(SELECT max(position) FROM events))"
        )
        cur.execute("VACUUM ANALYZE events")
        cur.execute("VACUUM ANALYZE organizations")
    index_seconds = time.perf_counter() - started
    log(f"  indexes and ANALYZE in {index_seconds:.0f}s")
    return Filled(orgs, events, seconds, index_seconds)
