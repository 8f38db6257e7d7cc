"""The CloudEvent has one definition with two forms: PostgreSQL's (the relay's outbox read)
writes the same bytes as Python's (envelope_head + with_data), on every registered contract."""

from __future__ import annotations

import json
import types
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel
from sqlalchemy import text

from shared.contracts import EventContract, all_contracts
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, NewEvent
from shared.eventstore.sql import SqlEventStore
from shared.outbox.envelope import cloudevent_head, to_cloudevent, with_data
from shared.outbox.reader import OutboxReader

pytestmark = pytest.mark.postgres

# Free text as JSON must escape it: quotes, a backslash, control characters, CJK, U+2028.
TEXT = '名称 "引号" \\ / \n\t\x01\x1f é \u2028 end'
AT = datetime(2024, 3, 21, 16, 0, tzinfo=UTC)
VARIANTS = [  # (occurred_at, division, metadata)
    (
        AT.replace(microsecond=123456),
        "420106",
        EventMetadata(client='c-"1"\\', correlation_id="请求-\n9", causation_id="cmd\x7f3"),
    ),
    (AT, None, EventMetadata(client="")),
    (
        AT.replace(microsecond=1),
        "511802",
        EventMetadata(client="c", correlation_id="r", causation_id=""),
    ),
    (AT.replace(year=1999), None, EventMetadata(client="c-3", causation_id="cmd-4")),
]


def sample(annotation: Any) -> Any:
    """A value of `annotation` (JSON-shaped), every optional part present."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return args[-1]
    if origin in (Union, types.UnionType):
        return sample(next(a for a in args if a is not type(None)))
    if origin is list:
        return [sample(args[0]), sample(args[0])]
    if origin is dict:
        return {'键 "k"': sample(args[1]), "k2": sample(args[1])}
    if origin is tuple:
        return [sample(a) for a in args]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {name: sample(f.annotation) for name, f in annotation.model_fields.items()}
    return {
        str: TEXT,
        int: 2024,
        float: 12.5,
        bool: True,
        date: "2024-03-21",
        Decimal: "0.15",
        object: TEXT,
    }[annotation]


def sample_event(c: EventContract[Any], occurred_at: datetime) -> NewEvent:
    payload = c.model.model_validate(sample(c.model))
    return NewEvent(c.name, c.dump(payload), c.schema_version, occurred_at=occurred_at)


@pytest.fixture
async def store(pg_url: str) -> AsyncIterator[SqlEventStore]:
    engine = make_async_engine(pg_url)
    yield SqlEventStore(engine)
    await engine.dispose()


async def test_the_sql_envelope_is_the_python_envelope_byte_for_byte_on_every_contract(
    store: SqlEventStore,
) -> None:
    contracts = all_contracts()
    assert {c.producer for c in contracts} == {"registry", "evaluation", "notifier"}
    producer_at: dict[int, str] = {}
    for c in contracts:
        for n, (occurred_at, division, meta) in enumerate(VARIANTS):
            stream = f'{c.qualified} "流" \\ {n}'
            event = sample_event(c, occurred_at)
            [e] = await store.append(stream, 0, [event], metadata=meta, division=division)
            producer_at[e.position] = c.producer
    async with store.engine.connect() as conn:
        found = await conn.execute(text("SELECT position, data::text FROM events"))
        stored_data = {int(p): str(d) for p, d in found.all()}
    recorded = {e.position: e for e in await store.read_all(0, limit=10_000)}
    assert len(recorded) == len(contracts) * len(VARIANTS)
    compared = 0
    for producer in ("registry", "evaluation", "notifier"):
        for row in await OutboxReader(store, producer).read(0, 10_000):
            if producer_at[row.position] != producer:
                continue
            e = recorded[row.position]
            python = with_data(cloudevent_head(producer, e), stored_data[row.position])
            assert row.envelope == python, e.type
            assert json.loads(row.envelope) == to_cloudevent(producer, e)
            compared += 1
    assert compared == len(recorded)
