"""The 公示 board in SQL: published decisions in their window, with the organization's name
and credit code from the projection of REGISTRY."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.evaluation.adapters.tables import organizations, publicity
from services.evaluation.app.ports import Notice


class SqlPublicityBoard:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def notices(self, authority: str, day: date) -> list[Notice]:
        p, o = publicity, organizations
        q = (
            select(p, o.c.name, o.c.credit_code)
            .join(o, o.c.organization_id == p.c.organization_id)
            .where(p.c.authority == authority, p.c.published_on <= day, p.c.ends_on >= day)
            .order_by(p.c.published_on, o.c.name, p.c.application_id)
        )
        async with self.engine.connect() as conn:
            return [Notice(**row) for row in (await conn.execute(q)).mappings()]
