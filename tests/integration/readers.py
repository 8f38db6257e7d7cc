"""A reader that keeps querying the database while a test does something else (a rebuild):
how many reads it made and what errors it met."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class Reads:
    count: int = 0
    errors: list[Exception] = field(default_factory=list)


@asynccontextmanager
async def reading(engine: AsyncEngine, query: Executable) -> AsyncIterator[Reads]:
    """`query` run over and over on connections of its own until the block ends."""
    reads = Reads()
    stop = asyncio.Event()

    async def reader() -> None:
        while not stop.is_set():
            try:
                async with engine.connect() as conn:
                    await conn.execute(query)
                reads.count += 1
            except Exception as exc:  # noqa: BLE001 - any reader error fails the test
                reads.errors.append(exc)
            await asyncio.sleep(0.005)

    task = asyncio.create_task(reader())
    try:
        yield reads
    finally:
        stop.set()
        await task
