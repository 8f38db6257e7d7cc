"""A projection overrides `apply`, `apply_batch` or both: each defaults to the other, so a
runner refuses one that overrides neither."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from shared.consumer import ConsumerRunner, Delivered, Projection
from shared.natslink import NatsLink


class Idle(Projection):
    name, stream, filter_subjects, tables = "idle", "REGISTRY", (), ()


class OneByOne(Idle):
    async def apply(self, conn: Any, event: Delivered, tables: Mapping[str, Any]) -> None:
        pass


class Batched(Idle):
    async def apply_batch(
        self, conn: Any, events: Sequence[Delivered], tables: Mapping[str, Any]
    ) -> None:
        pass


def runner(projection: Projection) -> ConsumerRunner:
    engine = create_async_engine("sqlite+aiosqlite://")
    return ConsumerRunner(engine, NatsLink("nats://127.0.0.1:1", name="test"), projection)


def test_a_projection_overriding_neither_is_refused() -> None:
    with pytest.raises(TypeError, match="Idle must override apply, apply_batch or both"):
        runner(Idle())


@pytest.mark.parametrize("projection", [OneByOne(), Batched()], ids=["apply", "apply_batch"])
def test_either_override_is_enough(projection: Projection) -> None:
    assert runner(projection).projection is projection
