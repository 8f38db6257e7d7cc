"""The organizations a demo round may take: legal persons an authority registered, on the
evaluation's projection of REGISTRY, not ended."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.evaluation.adapters.tables import organizations as o


async def registered_by(engine: AsyncEngine, authority: str) -> list[str]:
    """Their ids, in a fixed order (the demo's draw is seeded)."""
    q = (
        select(o.c.organization_id)
        .where(
            o.c.registration_authority == authority,
            o.c.kind != "community_org",
            o.c.ended_on.is_(None),
        )
        .order_by(o.c.organization_id)
    )
    async with engine.connect() as conn:
        return list((await conn.execute(q)).scalars())
