"""The reminders raised, as the API serves them (by place, kind and day raised)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifier.adapters import reminder_views_sql


@dataclass
class ReminderQueries:
    engine: AsyncEngine

    async def find(
        self,
        *,
        place: str | None = None,
        kinds: list[str] | None = None,
        raised_from: date | None = None,
        raised_to: date | None = None,
        after: int | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            return await reminder_views_sql.reminders(
                conn,
                place=place,
                kinds=kinds,
                raised_from=raised_from,
                raised_to=raised_to,
                after=after,
                limit=limit,
            )
