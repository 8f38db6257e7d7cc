"""Reads: an organization's eligibility on a day, and its investigations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.evaluation.app.errors import DateInFuture, OrganizationNotFound, OutsideClientArea
from services.evaluation.app.ports import Records
from services.evaluation.domain.eligibility import (
    Eligibility,
    LocalitySwitches,
    eligibility,
    regime_on,
)
from services.evaluation.domain.record import Investigation, Record
from shared.clock import Clock
from shared.rules.reporting import ReportingConfig

Covers = Callable[[str], bool]


class EvaluationQueries:
    def __init__(
        self,
        *,
        records: Records,
        switches: LocalitySwitches,
        reporting: ReportingConfig,
        clock: Clock,
    ) -> None:
        self.records = records
        self.switches = switches
        self.reporting = reporting
        self.clock = clock

    async def eligibility(
        self, organization_id: str, on: date | None, covers: Covers
    ) -> Eligibility:
        """Eligibility on `on` (default today), under the regime in force that day. A day after
        today is refused: the facts of the future are not known."""
        today = self.clock.today()
        day = on or today
        if day > today:
            raise DateInFuture(f"{day} is after today ({today}, Asia/Shanghai)")
        record = await self._record(organization_id, covers)
        return eligibility(record, day, regime_on(day), self.switches, self.reporting)

    async def investigations(self, organization_id: str, covers: Covers) -> list[Investigation]:
        record = await self._record(organization_id, covers)
        return sorted(record.investigations, key=lambda i: (i.opened_on, i.investigation_id))

    async def _record(self, organization_id: str, covers: Covers) -> Record:
        record = await self.records.get(organization_id)
        if record is None:
            raise OrganizationNotFound(f"no organization {organization_id} on the register")
        if not covers(record.domicile):
            raise OutsideClientArea(f"the key does not cover place {record.domicile}")
        return record
