"""Exports: the read model's rows and the event position they reflect, from one snapshot.

The position and the rows are read in one transaction that sees a single snapshot: REPEATABLE
READ on PostgreSQL; on SQLite (WAL) a read transaction already is one from its first read. So
a consumer that loads the export and then follows the event feed after that position misses
nothing and counts nothing twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry.adapters.search import conditions
from services.registry.adapters.tables import organizations as o
from services.registry.app.search import COLUMNS, Filters
from shared.rules.reporting import NATIONAL, ReportingConfig
from shared.tables import events


class SqlSnapshot:
    """An open read transaction; `close()` ends it (the export streams until then)."""

    def __init__(
        self,
        stack: AsyncExitStack,
        conn: AsyncConnection,
        position: int,
        reporting: ReportingConfig = NATIONAL,
    ) -> None:
        self._stack = stack
        self.conn = conn
        self.position = position
        self.reporting = reporting

    @classmethod
    async def open(cls, engine: AsyncEngine, reporting: ReportingConfig = NATIONAL) -> SqlSnapshot:
        stack = AsyncExitStack()
        try:
            conn = await stack.enter_async_context(engine.connect())
            if conn.dialect.name == "postgresql":
                conn = await conn.execution_options(isolation_level="REPEATABLE READ")
            await stack.enter_async_context(conn.begin())
            q = select(func.coalesce(func.max(events.c.position), 0))
            position = int((await conn.execute(q)).scalar_one())
        except BaseException:
            await stack.aclose()
            raise
        return cls(stack, conn, position, reporting)

    async def rows(self, filters: Filters, *, today: date) -> AsyncIterator[dict[str, Any]]:
        """The matching organizations in registration order, fetched in pages by the driver."""
        q = (
            select(*(o.c[c] for c in COLUMNS))
            .where(*conditions(filters, today, self.conn.dialect.name, self.reporting))
            .order_by(o.c.registered_on, o.c.id)
            .execution_options(yield_per=1000)
        )
        result = await self.conn.stream(q)
        async for row in result.mappings():
            yield dict(row)

    async def close(self) -> None:
        await self._stack.aclose()
