"""Flags the notifier raises and clears, one stream per organization and flag, as events.

`zombie` is the rule's flag (domain/zombie.py); each further signal is a flag of its own name.
A change says what happened to one flag on one day; its event is what NOTIFIER carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.notifier.domain.zombie import MissedYear
from shared.contracts.base import EventData
from shared.contracts.notifier import (
    ClearReason,
    MissedYearData,
    Signal,
    ZombieCleared,
    ZombieFlagged,
    ZombieSignalCleared,
    ZombieSignalRaised,
)

ZOMBIE = "zombie"


def stream_of(flag: str, organization_id: str) -> str:
    """The notifier's stream of one flag of one organization."""
    return f"{flag}-{organization_id}"


@dataclass(frozen=True)
class FlagChange:
    """A flag raised (with its evidence, for the zombie flag) or cleared (with the reason)."""

    organization_id: str
    flag: str
    division: str
    on: date
    raised: bool
    missed: tuple[MissedYear, ...] = ()
    since: date | None = None
    consecutive_years: int | None = None
    reason: ClearReason | None = None

    def event(self) -> EventData:
        org, on = self.organization_id, self.on
        if self.flag == ZOMBIE and self.raised:
            return ZombieFlagged(
                organization_id=org,
                as_of=on,
                missed_years=[m.year for m in self.missed],
                missed=[
                    MissedYearData(
                        year=m.year, deadline=m.deadline, review_deadline=m.review_deadline
                    )
                    for m in self.missed
                ],
                candidate_since=self.since,
                consecutive_years=self.consecutive_years,
            )
        reason: ClearReason = self.reason or "not_a_candidate"
        if self.flag == ZOMBIE:
            return ZombieCleared(organization_id=org, as_of=on, reason=reason)
        signal: Signal = self.flag  # type: ignore[assignment]
        if self.raised:
            return ZombieSignalRaised(organization_id=org, signal=signal, as_of=on)
        return ZombieSignalCleared(organization_id=org, signal=signal, as_of=on, reason=reason)
