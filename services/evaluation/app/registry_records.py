"""The ratings to record on the registry as a bureau sees them: listed by state within the
key's area, and a parked one sent again once the cause is dealt with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.evaluation.app.errors import (
    OutsideClientArea,
    RegistryRecordNotFound,
    RegistryRecordNotParked,
)
from services.evaluation.app.ports import RegistryRecords

Covers = Callable[[str], bool]


class RegistryRecordDesk:
    def __init__(self, *, records: RegistryRecords, kick: Callable[[], None]) -> None:
        self.records, self.kick = records, kick

    async def list(self, state: str | None, covers: Covers) -> list[dict[str, Any]]:
        return [r for r in await self.records.rows(state) if covers(r["division"])]

    async def retry(self, evaluation_id: str, covers: Covers) -> dict[str, Any]:
        """A parked record pending again, due now; the sender is woken."""
        found = await self._get(evaluation_id, covers)
        if not await self.records.release(evaluation_id):
            raise RegistryRecordNotParked(
                f"record {evaluation_id} is {found['state']}: only a parked one is sent again"
            )
        self.kick()
        return await self._get(evaluation_id, covers)

    async def _get(self, evaluation_id: str, covers: Covers) -> dict[str, Any]:
        found = await self.records.get(evaluation_id)
        if found is None:
            raise RegistryRecordNotFound(f"no rating to record under {evaluation_id}")
        if not covers(found["division"]):
            raise OutsideClientArea(f"the key does not cover place {found['division']}")
        return found
