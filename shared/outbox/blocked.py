"""Events the relay cannot publish, in the relay_blocked table: recorded, resolved, skipped.

NATS refusing a message for good (over its max_payload, say) must neither stop publishing in
silence nor lose the event in silence. The relay records the event here and holds at it,
trying again now and then; the row is resolved when the event is published after all (the
server's limit raised), or skipped by an operator with a reason (`socorg relay-skip`), after
which the relay goes on without it. Open rows make `/readyz` fail. docs/operations.md says
what an operator does.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.tables import relay_blocked


@dataclass(frozen=True)
class Blocked:
    """One event a relay could not publish, and what became of it."""

    producer: str
    position: int
    event_id: str
    type: str
    size: int
    error: str
    attempts: int
    blocked_at: datetime
    tried_at: datetime
    resolved_at: datetime | None = None
    skipped_at: datetime | None = None
    skipped_by: str | None = None
    skip_reason: str | None = None

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None and self.skipped_at is None

    def describe(self) -> str:
        return (
            f"position {self.position}: event {self.event_id} ({self.type}, {self.size} bytes) "
            f"refused by NATS: {self.error}"
        )


def _blocked(row: object) -> Blocked:
    m = row._mapping  # type: ignore[attr-defined]
    return Blocked(**{**m, "event_id": str(m["event_id"])})


async def record(
    conn: AsyncConnection,
    producer: str,
    *,
    position: int,
    event_id: str,
    event_type: str,
    size: int,
    error: str,
) -> Blocked:
    """A refused attempt to publish the event: a new row, or one more attempt on its row."""
    now = datetime.now(UTC)
    key = and_(relay_blocked.c.producer == producer, relay_blocked.c.position == position)
    done = await conn.execute(
        update(relay_blocked)
        .where(key)
        .values(
            error=error,
            size=size,
            attempts=relay_blocked.c.attempts + 1,
            tried_at=now,
            resolved_at=None,
        )
    )
    if done.rowcount == 0:
        await conn.execute(
            insert(relay_blocked).values(
                producer=producer,
                position=position,
                event_id=uuid.UUID(event_id),
                type=event_type,
                size=size,
                error=error,
                attempts=1,
                blocked_at=now,
                tried_at=now,
            )
        )
    return _blocked((await conn.execute(select(relay_blocked).where(key))).one())


async def resolve_through(conn: AsyncConnection, producer: str, position: int) -> None:
    """The open rows up to `position` were published after all."""
    await conn.execute(
        update(relay_blocked)
        .where(
            relay_blocked.c.producer == producer,
            relay_blocked.c.position <= position,
            relay_blocked.c.resolved_at.is_(None),
            relay_blocked.c.skipped_at.is_(None),
        )
        .values(resolved_at=datetime.now(UTC))
    )


async def open_rows(conn: AsyncConnection, producer: str) -> list[Blocked]:
    """Events still held (neither published nor skipped), in position order."""
    q = (
        select(relay_blocked)
        .where(
            relay_blocked.c.producer == producer,
            relay_blocked.c.resolved_at.is_(None),
            relay_blocked.c.skipped_at.is_(None),
        )
        .order_by(relay_blocked.c.position)
    )
    return [_blocked(r) for r in (await conn.execute(q)).all()]


async def readiness(engine: AsyncEngine, producer: str) -> tuple[bool, str]:
    """`/readyz`'s check `relay`: not ready while an event is held, whichever process (this
    one, another replica, a standalone `socorg relay`) holds at it."""
    try:
        async with asyncio.timeout(2):
            async with engine.connect() as conn:
                held = await open_rows(conn, producer)
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure
        return False, f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    if not held:
        return True, "ok"
    detail = f"blocked at {held[0].describe()}; see `socorg relay-status {producer}`"
    return False, detail[:500]


async def every_row(conn: AsyncConnection, producer: str) -> list[Blocked]:
    """Every event ever held, open, resolved or skipped, in position order."""
    q = (
        select(relay_blocked)
        .where(relay_blocked.c.producer == producer)
        .order_by(relay_blocked.c.position)
    )
    return [_blocked(r) for r in (await conn.execute(q)).all()]


async def skipped_after(conn: AsyncConnection, producer: str, position: int) -> set[int]:
    """Positions after `position` an operator skipped: the relay publishes past them."""
    q = select(relay_blocked.c.position).where(
        relay_blocked.c.producer == producer,
        relay_blocked.c.position > position,
        relay_blocked.c.skipped_at.is_not(None),
    )
    return {int(p) for p in (await conn.execute(q)).scalars()}


async def skip(
    conn: AsyncConnection, producer: str, position: int, *, by: str, reason: str
) -> Blocked | None:
    """Let the relay go on without an open row's event (it stays in the store and the HTTP
    feed; JetStream never gets it). None: no open row at that position."""
    key = and_(relay_blocked.c.producer == producer, relay_blocked.c.position == position)
    done = await conn.execute(
        update(relay_blocked)
        .where(key, relay_blocked.c.resolved_at.is_(None), relay_blocked.c.skipped_at.is_(None))
        .values(skipped_at=datetime.now(UTC), skipped_by=by, skip_reason=reason)
    )
    if done.rowcount == 0:
        return None
    return _blocked((await conn.execute(select(relay_blocked).where(key))).one())
