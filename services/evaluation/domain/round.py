"""A round (评估批次) of one registration authority: its terms, its application window, its
close. An immutable aggregate whose commands return the event to save."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Self

from services.evaluation.domain.errors import (
    InvalidWindow,
    OutsideApplicationWindow,
    RoundClosedAlready,
    RoundStillOpen,
)
from shared.contracts.evaluation import ApplicationRechecked, RoundAnnounced
from shared.contracts.evaluation import RoundClosed as Closed

Event = RoundAnnounced | Closed


@dataclass(frozen=True)
class Round:
    round_id: str
    terms: RoundAnnounced
    version: int = 0
    closed: Closed | None = None

    @classmethod
    def replay(cls, round_id: str, events: Iterable[Event]) -> Self:
        state: Self | None = None
        for event in events:
            if isinstance(event, RoundAnnounced):
                state = cls(round_id, event, version=1)
            else:
                assert state is not None, f"round {round_id} closed before it was announced"
                state = state.apply(event)
        assert state is not None, f"round {round_id} has no announcement"
        return state

    def apply(self, event: Closed) -> Self:
        return replace(self, version=self.version + 1, closed=event)

    @property
    def status(self) -> str:
        return "closed" if self.closed is not None else "open"

    def accepts(self, day: date) -> None:
        """Refused unless `day` lies in the application window and the round is open."""
        if self.closed is not None:
            raise RoundClosedAlready(f"round {self.round_id} closed on {self.closed.closed_on}")
        t = self.terms
        if not t.opens_on <= day <= t.closes_on:
            raise OutsideApplicationWindow(
                f"round {self.round_id} takes applications {t.opens_on} – {t.closes_on}, "
                f"not on {day}"
            )

    def require_closed(self) -> None:
        """Assessment follows the eligibility check at the close (39号 art. 16)."""
        if self.closed is None:
            raise RoundStillOpen(
                f"round {self.round_id} is open until {self.terms.closes_on}: close it first"
            )

    def close(self, day: date, rechecks: Sequence[ApplicationRechecked]) -> Closed:
        """Closed after its window, with the re-check of every application still on it."""
        if self.closed is not None:
            raise RoundClosedAlready(f"round {self.round_id} closed on {self.closed.closed_on}")
        if day <= self.terms.closes_on:
            raise RoundStillOpen(
                f"round {self.round_id} takes applications until {self.terms.closes_on}"
            )
        admitted = sum(1 for r in rechecks if r.eligible)
        # Counts only: each application's outcome and its reasons are its own re-check event,
        # so the round's event stays small whatever the number of applications.
        return Closed(
            round_id=self.round_id,
            closed_on=day,
            admitted=admitted,
            excluded=len(rechecks) - admitted,
        )


def check_window(announced_on: date, opens_on: date, closes_on: date) -> None:
    """A window that opens on or after the announcement and closes on or after it opens."""
    if opens_on < announced_on:
        raise InvalidWindow(f"the window opens on {opens_on}, before the announcement")
    if closes_on < opens_on:
        raise InvalidWindow(f"the window closes on {closes_on}, before it opens on {opens_on}")
