"""Named positions (relay: event position; consumer: stream sequence) in the checkpoints table."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update
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
