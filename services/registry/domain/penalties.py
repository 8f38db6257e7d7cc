"""行政处罚 (administrative penalties) and 整改完成 (a 限期整改 completed): the commands, and
the rules of dates the credit lists and the ratings read.

A penalty is one decision by number: a warning (警告), a fine with its amount (罚款), a
suspension of activities from a day to a day (限期停止活动), or a confiscation (没收); minor
(轻微行政处罚) or not; carried out (执行完毕) by a later event.
"""

from __future__ import annotations

from datetime import date

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.fields import require_text
from services.registry.domain.state import OrganizationState
from shared.contracts.registry import (
    DisposalOrdered,
    PenaltyCarriedOut,
    PenaltyImposed,
    PenaltyKind,
    RectificationCompleted,
)

PENALTY_KINDS: frozenset[str] = frozenset({"warning", "fine", "suspension", "confiscation"})


class Sanctions(OrganizationState):
    """Penalties the registration authority imposes, and rectifications completed."""

    def impose_penalty(
        self,
        *,
        penalty: str,
        decision_number: str,
        decided_on: date,
        minor: bool = False,
        amount_yuan: int | None = None,
        suspended_from: date | None = None,
        suspended_until: date | None = None,
        reason: str | None = None,
    ) -> PenaltyImposed:
        """行政处罚 on a legal person, under a decision number not used on it before."""
        self._require_open(decided_on)
        self._require_legal_person("an administrative penalty (行政处罚)")
        number = require_text("decision_number", decision_number)
        if number in self.penalties:
            raise StateConflict(
                Refusal.DUPLICATE_PENALTY, f"penalty decision {number} is already recorded"
            )
        kind = _check_penalty(penalty, decided_on, amount_yuan, suspended_from, suspended_until)
        return PenaltyImposed(
            organization_id=self.organization_id,
            penalty=kind,
            decision_number=number,
            decided_on=decided_on,
            minor=minor,
            amount_yuan=amount_yuan,
            suspended_from=suspended_from,
            suspended_until=suspended_until,
            reason=reason,
        )

    def record_penalty_carried_out(
        self, *, decision_number: str, carried_out_on: date
    ) -> PenaltyCarriedOut:
        """执行完毕: the penalty of a decision carried out, on or after its decision."""
        imposed = self.penalties.get(decision_number)
        if imposed is not None:  # the specific refusal before the general one of act order
            self._require_not_before(
                carried_out_on, imposed.decided_on, "decision", Refusal.DATE_BEFORE_DECISION
            )
        self._require_open(carried_out_on)
        if imposed is None:
            raise StateConflict(
                Refusal.UNKNOWN_PENALTY, f"no penalty decision {decision_number} on record"
            )
        if decision_number in self.penalties_carried_out:
            raise StateConflict(
                Refusal.PENALTY_ALREADY_CARRIED_OUT,
                f"carried out on {self.penalties_carried_out[decision_number]}",
            )
        return PenaltyCarriedOut(
            organization_id=self.organization_id,
            decision_number=decision_number,
            carried_out_on=carried_out_on,
        )

    def complete_rectification(
        self, *, ordered_on: date, completed_on: date
    ) -> RectificationCompleted:
        """整改完成: closes the 限期整改 ordered on `ordered_on` (late or not)."""
        if any(d.ordered_on == ordered_on for d in self.disposals):  # specific refusal first
            self._require_not_before(completed_on, ordered_on, "order", Refusal.DATE_BEFORE_ORDER)
        self._require_open(completed_on)
        if not any(d.ordered_on == ordered_on for d in self.disposals):
            raise StateConflict(Refusal.UNKNOWN_DISPOSAL, f"no 限期整改 ordered on {ordered_on}")
        if ordered_on in self.rectified:
            raise StateConflict(
                Refusal.RECTIFICATION_ALREADY_COMPLETED,
                f"the 限期整改 of {ordered_on} was completed on {self.rectified[ordered_on]}",
            )
        return RectificationCompleted(
            organization_id=self.organization_id, ordered_on=ordered_on, completed_on=completed_on
        )


# ---- rules of dates -------------------------------------------------------------------------


def outstanding(p: PenaltyImposed, carried_out_on: date | None, day: date) -> bool:
    """Imposed by `day` and not carried out by then (未执行完毕)."""
    return p.decided_on <= day and (carried_out_on is None or carried_out_on > day)


def suspended_on(p: PenaltyImposed, day: date) -> bool:
    """Whether `day` falls in a suspension of activities (限期停止活动), both ends included."""
    if p.penalty != "suspension" or p.suspended_from is None or p.suspended_until is None:
        return False
    return p.suspended_from <= day <= p.suspended_until


def rectification_overdue(d: DisposalOrdered, completed_on: date | None, day: date) -> bool:
    """A 限期整改 past its due date on `day` and not completed by then."""
    return d.due_on < day and (completed_on is None or completed_on > day)


def _check_penalty(
    penalty: str,
    decided_on: date,
    amount: int | None,
    start: date | None,
    end: date | None,
) -> PenaltyKind:
    if penalty not in PENALTY_KINDS:
        raise InvalidCommand(
            Refusal.INVALID_PENALTY,
            f"penalty must be one of {', '.join(sorted(PENALTY_KINDS))}, not {penalty!r}",
        )
    if amount is not None and amount <= 0:
        raise InvalidCommand(Refusal.INVALID_PENALTY, "amount_yuan must be positive")
    if penalty == "fine" and amount is None:
        raise InvalidCommand(Refusal.INVALID_PENALTY, "a fine (罚款) needs its amount_yuan")
    if penalty in ("warning", "suspension") and amount is not None:
        raise InvalidCommand(Refusal.INVALID_PENALTY, f"a {penalty} has no amount_yuan")
    if penalty == "suspension":
        if start is None or end is None:
            raise InvalidCommand(
                Refusal.INVALID_PENALTY,
                "限期停止活动 needs suspended_from and suspended_until",
            )
        if start < decided_on or end < start:
            raise InvalidCommand(
                Refusal.INVALID_PENALTY,
                f"the suspension {start}–{end} must start on or after the decision {decided_on} "
                "and end on or after its start",
            )
    elif start is not None or end is not None:
        raise InvalidCommand(Refusal.INVALID_PENALTY, f"a {penalty} has no suspension dates")
    return penalty  # type: ignore[return-value]  # checked against PENALTY_KINDS above
