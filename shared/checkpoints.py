"""Named positions (relay: event position; consumer: stream sequence) in the checkpoints table."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.tables import checkpoints


async def load(conn: AsyncConnection, name: str) -> int:
    q = select(checkpoints.c.position).where(checkpoints.c.name == name)
    value = (await conn.execute(q)).scalar_one_or_none()
    return int(value) if value is not None else 0


async def save(conn: AsyncConnection, name: str, position: int) -> None:
    now = datetime.now(UTC)
    result = await conn.execute(
        update(checkpoints)
        .where(checkpoints.c.name == name)
        .values(position=position, updated_at=now)
    )
    if result.rowcount == 0:
        await conn.execute(insert(checkpoints).values(name=name, position=position, updated_at=now))


class CheckpointMoved(Exception):
    """A checkpoint is not where its one writer left it: another process moved it."""


async def advance(conn: AsyncConnection, name: str, expected: int, position: int) -> None:
    """Move `name` from `expected` to `position` in the caller's transaction, or raise
    CheckpointMoved (the transaction must then be rolled back): a writer that lost its lead
    cannot commit over the new leader's work."""
    now = datetime.now(UTC)
    result = await conn.execute(
        update(checkpoints)
        .where(checkpoints.c.name == name, checkpoints.c.position == expected)
        .values(position=position, updated_at=now)
    )
    if result.rowcount == 1:
        return
    if expected != 0:
        raise CheckpointMoved(f"checkpoint {name} is no longer at {expected}")
    try:
        async with conn.begin_nested():
            await conn.execute(
                insert(checkpoints).values(name=name, position=position, updated_at=now)
            )
    except IntegrityError as exc:
        raise CheckpointMoved(f"checkpoint {name} was written meanwhile") from exc
