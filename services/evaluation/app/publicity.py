"""The public 公示 board: an authority's decisions whose publicity window holds a day."""

from __future__ import annotations

from datetime import date

from services.evaluation.app.errors import DateInFuture
from services.evaluation.app.ports import Notice, PublicityBoard
from shared.clock import Clock


class PublicityQueries:
    def __init__(self, *, board: PublicityBoard, clock: Clock, registry_url: str) -> None:
        self.board, self.clock = board, clock
        self.registry_url = registry_url.rstrip("/")  # where the public finds an organization

    async def notices(self, authority: str, on: date | None) -> tuple[date, list[Notice]]:
        """The day asked about (default today) and the decisions in 公示 on it."""
        today = self.clock.today()
        day = on or today
        if day > today:
            raise DateInFuture(f"{day} is after today ({today}, Asia/Shanghai)")
        return day, await self.board.notices(authority, day)
