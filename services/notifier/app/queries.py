"""Reads the API serves: zombie candidates by place with their evidence and the bureau's
disposal, and counts by district for the 清理 campaign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifier.adapters import views_sql
from services.notifier.domain.flags import ZOMBIE
from services.notifier.domain.zombie import COMMUNITY, MissedYear, ZombieConfig, evidence_of

# The bureau's decisions on a case, as DOMAIN.md names them (Zombie; Lifecycle).
DISPOSAL_OF_END = {
    "registration_revoked": "撤销登记",
    "certificate_revoked": "吊销登记证书",
    "deregistered": "注销登记",
    "filing_cancelled": "撤销备案",  # a community organization's filing revoked
    "filing_deregistered": "注销备案",  # …or ended on its application
}


@dataclass(frozen=True)
class Disposal:
    kind: str  # 限期整改, 撤销登记, 吊销登记证书, 注销登记; 撤销备案 or 注销备案
    on: date
    due_on: date | None = None
    completed_on: date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Candidate:
    organization_id: str
    name: str
    kind: str
    division: str
    domicile: str
    flag: str
    active: bool
    flagged_on: date
    as_of: date
    since: date | None
    missed: tuple[MissedYear, ...]
    cleared_on: date | None
    cleared_reason: str | None
    disposal: Disposal | None


@dataclass
class NotifierQueries:
    engine: AsyncEngine
    config: ZombieConfig

    async def flags(
        self,
        *,
        flag: str = ZOMBIE,
        place: str | None = None,
        active: bool | None = True,
        after: str | None = None,
        limit: int = 100,
    ) -> list[Candidate]:
        async with self.engine.connect() as conn:
            views = await views_sql.flags(
                conn, flag=flag, place=place, active=active, after=after, limit=limit
            )
        return [self._candidate(v) for v in views]

    async def counts(self, *, place: str | None = None) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            return await views_sql.counts(conn, place=place)

    def _candidate(self, view: views_sql.FlagView) -> Candidate:
        f, o = view.flag, view.organization
        missed: tuple[MissedYear, ...] = ()
        if f["first_missed"] is not None and f["last_missed"] is not None:
            missed, _ = evidence_of(
                kind=o["kind"],
                charity_since=o["charity_since"],
                first_missed=f["first_missed"],
                last_missed=f["last_missed"],
                supervised=o["supervised"],
                consecutive_years=1,
                config=self.config,
            )
        return Candidate(
            organization_id=o["organization_id"],
            name=o["name"],
            kind=o["kind"],
            division=f["division"],
            domicile=o["domicile"],
            flag=f["flag"],
            active=f["active"],
            flagged_on=f["flagged_on"],
            as_of=f["as_of"],
            since=f["since"],
            missed=missed,
            cleared_on=f["cleared_on"],
            cleared_reason=f["cleared_reason"],
            disposal=_disposal(o, view.disposals),
        )


def _disposal(o: dict[str, Any], orders: list[dict[str, Any]]) -> Disposal | None:
    """The bureau's latest decision: an end (撤销/吊销, then 注销), else its latest 限期整改."""
    if o["deregistered_on"] is not None:
        filed = o["kind"] == COMMUNITY  # a community organization is filed (备案), not registered
        end = "filing_deregistered" if filed else "deregistered"
        return Disposal(DISPOSAL_OF_END[end], o["deregistered_on"])
    if o["revoked_on"] is not None:
        return Disposal(DISPOSAL_OF_END[o["revoked_by"]], o["revoked_on"])
    if orders:
        d = orders[0]
        return Disposal("限期整改", d["ordered_on"], d["due_on"], d["completed_on"], d["reason"])
    return None
