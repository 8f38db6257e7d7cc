"""PostgreSQL's append statements and their parameters (see shared.eventstore.postgres).

Every append takes a transaction-level advisory lock just before inserting and holds it to
commit, so positions are assigned in commit order; the arrays go in binary (%(…)b).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared.eventstore.compiled import Write
from shared.eventstore.model import WrongExpectedVersion, json_text
from shared.eventstore.sql import Pending

# Arbitrary, fixed: the advisory lock key that serialises appends to the events table.
APPEND_LOCK_KEY = 0x50C026


# Every append on PostgreSQL, one stream or many, is this one statement: take the append lock,
# check every stream's version (socorg_expect_version raises SO409, aborting the transaction,
# so nothing is left for the client to decide between this statement and a COMMIT sent with
# it), insert every event. The lock is taken before any row reaches the INSERT, so positions
# are drawn from the sequence in commit order. The version check reads the statement's
# snapshot, which may predate the lock; a version committed meanwhile hits the UNIQUE key, so
# a conflict is never missed. It is sent by psycopg itself, the arrays in binary (%(…)b): no
# quoting of thousands of JSON texts into array literals.
_HELD = "held AS (SELECT pg_advisory_xact_lock(%(lock)s))"
_APPEND_AFTER_HELD = """
checked AS (
    SELECT bool_and(socorg_expect_version(
        s.stream_id, s.expected,
        coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = s.stream_id), 0)
    )) AS ok
    FROM held, unnest(%(check_streams)b::text[], %(check_expected)b::int[])
        AS s(stream_id, expected)
)
INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata,
                    division, occurred_at, recorded_at)
SELECT r.event_id, r.stream_id, r.version, r.type, r.schema_version, r.data, r.metadata,
       r.division, r.occurred_at, %(recorded_at)s
FROM checked,
     unnest(%(ids)b::uuid[], %(streams)b::text[], %(versions)b::int[], %(types)b::text[],
            %(schema_versions)b::int[], %(datas)b::jsonb[], %(metas)b::jsonb[],
            %(divisions)b::text[], %(occurred)b::timestamptz[])
         WITH ORDINALITY AS r(event_id, stream_id, version, type, schema_version, data,
                              metadata, division, occurred_at, ord)
WHERE checked.ok
ORDER BY r.ord
RETURNING position, event_id
"""
PG_APPEND = f"\nWITH {_HELD},{_APPEND_AFTER_HELD}"
EXPECT_VERSION_FAILED = "SO409"  # raised by socorg_expect_version (platform_0003)


# One stream's append made alone, the hottest write: the same lock, the same insert, with the
# version check as a filter (no row back: the version was wrong) and no function call;
# prepared once per connection. Several events go as a single stream's arrays; one event,
# the commonest append of all, as plain parameters (dumping five one-element arrays cost
# more than the insert).
ALONE = """
WITH cur AS (
    SELECT (SELECT coalesce(max(version), 0) FROM events WHERE stream_id = %(stream)s) AS v
    FROM pg_advisory_xact_lock(%(lock)s)
)
INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata,
                    division, occurred_at, recorded_at)
"""
PG_APPEND_ONE = (
    ALONE
    + """
SELECT e.event_id, %(stream)s, %(expected)s + e.ord, e.type, e.schema_version, e.data,
       %(metadata)s::jsonb, %(division)s, e.occurred_at, %(recorded_at)s
FROM cur,
     unnest(%(ids)b::uuid[], %(types)b::text[], %(schema_versions)b::int[],
            %(datas)b::jsonb[], %(occurred)b::timestamptz[])
         WITH ORDINALITY AS e(event_id, type, schema_version, data, occurred_at, ord)
WHERE cur.v = %(expected)s
ORDER BY e.ord
RETURNING position, event_id
"""
)
PG_APPEND_EVENT = (
    ALONE
    + """
SELECT %(id)s, %(stream)s, %(expected)s + 1, %(type)s, %(schema_version)s, %(data)s::jsonb,
       %(metadata)s::jsonb, %(division)s, %(occurred)s, %(recorded_at)s
FROM cur
WHERE cur.v = %(expected)s
RETURNING position, event_id
"""
)


def pg_params(pending: Sequence[Pending], now: datetime) -> tuple[dict[str, Any], list[int]]:
    """The parameters of PG_APPEND, and each append's stream version before it."""
    expected: dict[str, int] = {}  # each stream's version before these appends
    running: dict[str, int] = {}
    columns: dict[str, list[Any]] = {
        k: [] for k in ("ids", "streams", "versions", "types", "schema_versions", "datas")
    }
    columns |= {"metas": [], "divisions": [], "occurred": []}
    starts: list[int] = []
    for p in pending:
        at = running.setdefault(p.stream_id, expected.setdefault(p.stream_id, p.expected_version))
        if at != p.expected_version:  # a second append to a stream must follow the first
            raise WrongExpectedVersion(p.stream_id, p.expected_version, at)
        starts.append(at)
        n = len(p.events)
        columns["ids"].extend(e.event_id for e in p.events)
        columns["streams"].extend([p.stream_id] * n)
        columns["versions"].extend(range(at + 1, at + n + 1))
        columns["types"].extend(e.type for e in p.events)
        columns["schema_versions"].extend(e.schema_version for e in p.events)
        columns["datas"].extend(e.data_text for e in p.events)
        columns["metas"].extend([json_text(p.metadata.to_json())] * n)
        columns["divisions"].extend([p.division] * n)
        columns["occurred"].extend(e.occurred_at for e in p.events)
        running[p.stream_id] = at + n
    params = {
        "lock": APPEND_LOCK_KEY,
        "check_streams": list(expected),
        "check_expected": list(expected.values()),
        "recorded_at": now,
        **columns,
    }
    return params, starts


def pg_event_params(p: Pending, now: datetime) -> dict[str, Any]:
    """The parameters of PG_APPEND_EVENT."""
    [e] = p.events
    return alone_params(p, now) | {
        "id": e.event_id,
        "type": e.type,
        "schema_version": e.schema_version,
        "data": e.data_text,
        "occurred": e.occurred_at,
    }


def pg_one_params(p: Pending, now: datetime) -> dict[str, Any]:
    """The parameters of PG_APPEND_ONE."""
    return alone_params(p, now) | {
        "ids": [e.event_id for e in p.events],
        "types": [e.type for e in p.events],
        "schema_versions": [e.schema_version for e in p.events],
        "datas": [e.data_text for e in p.events],
        "occurred": [e.occurred_at for e in p.events],
    }


def alone_params(p: Pending, now: datetime) -> dict[str, Any]:
    return {
        "lock": APPEND_LOCK_KEY,
        "stream": p.stream_id,
        "expected": p.expected_version,
        "metadata": json_text(p.metadata.to_json()),
        "division": p.division,
        "recorded_at": now,
    }


# A unit of work's read-model writes and its appends as ONE statement, on a connection with no
# transaction open (it autocommits): each write a data-modifying CTE, then PG_APPEND. The
# append lock is taken only once every write has run (`held` reads their counts), as when
# they are sent before it: a write waiting on another transaction's row never waits holding
# the lock. A wrong version (SO409) or a violated key fails the whole statement. Taken only
# where the writes cannot see each other: each on a table of its own, none reading another
# (no SELECT), none on the events table, none already returning rows.
_PARAM = re.compile(r"%\(([^)]+)\)s")


def one_statement_fits(writes: Sequence[Write]) -> bool:
    tables = [w.table for w in writes]
    return (
        all(tables)
        and len(set(tables)) == len(tables)
        and "events" not in tables
        and not any("SELECT" in w.sql.upper() or "RETURNING" in w.sql.upper() for w in writes)
    )


def with_writes(writes: Sequence[Write], params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """PG_APPEND and its `params` with `writes` run first, in the same statement."""
    ctes, out, counts = [], dict(params), []
    for i, w in enumerate(writes):
        sql = _PARAM.sub(f"%(w{i}_\\1)s", w.sql)
        ctes.append(f"w{i} AS ({sql} RETURNING 1)")
        out |= {f"w{i}_{k}": v for k, v in w.params.items()}
        counts.append(f"(SELECT count(*) FROM w{i})")
    written = f"written AS (SELECT {' + '.join(counts) or '0'} AS n)"
    held = "held AS (SELECT pg_advisory_xact_lock(%(lock)s) FROM written)"
    return f"\nWITH {', '.join([*ctes, written, held])},{_APPEND_AFTER_HELD}", out
