"""Bureau decisions on an organization: charity status, 限期整改, rating, and how it ends."""

from __future__ import annotations

from datetime import date
from typing import get_args

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.fields import require_text
from services.registry.domain.state import OrganizationState
from shared.contracts.registry import (
    CertificateRevoked,
    CharityRecognised,
    Deregistered,
    DisposalOrdered,
    Grade,
    RatingChanged,
    RegistrationRevoked,
)

GRADE_OF: dict[str, Grade] = {g: g for g in get_args(Grade)}


class BureauDecisions(OrganizationState):
    """Decisions the bureau records: 慈善组织认定, 限期整改, 等级评估, 撤销, 吊销, 注销."""

    def recognise_as_charity(self, *, recognised_on: date) -> CharityRecognised:
        """慈善组织认定 (慈善法 art. 10): legal persons only, once."""
        self._require_open(recognised_on)
        self._require_legal_person("recognition as a charity (慈善组织认定)")
        if self.is_charity:
            raise StateConflict(
                Refusal.ALREADY_A_CHARITY, f"recognised as a charity on {self.charity_since}"
            )
        return CharityRecognised(organization_id=self.organization_id, recognised_on=recognised_on)

    def order_disposal(self, *, ordered_on: date, due_on: date, reason: str) -> DisposalOrdered:
        """限期整改: an order to rectify by a date after the order."""
        self._require_open(ordered_on)
        if due_on <= ordered_on:
            raise InvalidCommand(
                Refusal.DUE_DATE_NOT_AFTER_ORDER,
                f"限期整改 due date {due_on} must be after the order date {ordered_on}",
            )
        return DisposalOrdered(
            organization_id=self.organization_id,
            ordered_on=ordered_on,
            due_on=due_on,
            reason=require_text("reason", reason),
        )

    def change_rating(
        self,
        *,
        grade: str | None,
        decided_on: date,
        valid_until: date | None = None,
        evaluation_id: str | None = None,
        reason: str | None = None,
    ) -> RatingChanged:
        """等级评估 result recorded: a grade 1A–5A with its validity, or none (cancelled)."""
        self._require_open(decided_on)
        if self.kind == "community_org":
            raise StateConflict(
                Refusal.RATING_ON_COMMUNITY_ORG,
                "a community organization (社区社会组织) is filed, not registered: it is not rated",
            )
        valid_grade = _check_rating(grade, decided_on, valid_until)
        current = self.rating
        if (valid_grade, valid_until, evaluation_id) == (
            (current.grade, current.valid_until, current.evaluation_id) if current else (None,) * 3
        ):
            raise StateConflict(Refusal.RATING_UNCHANGED, "the rating is already this one")
        return RatingChanged(
            organization_id=self.organization_id,
            grade=valid_grade,
            decided_on=decided_on,
            valid_until=valid_until,
            evaluation_id=evaluation_id,
            reason=reason,
        )

    # ---- endings ---------------------------------------------------------------------------

    def revoke_registration(self, *, revoked_on: date, reason: str) -> RegistrationRevoked:
        """撤销登记: an administrative sanction; the organization goes into liquidation."""
        self._require_open(revoked_on)
        return RegistrationRevoked(
            organization_id=self.organization_id,
            revoked_on=revoked_on,
            reason=require_text("reason", reason),
        )

    def revoke_certificate(self, *, revoked_on: date, reason: str) -> CertificateRevoked:
        """吊销登记证书: a 慈善法 penalty, for charities only (others are revoked by 撤销登记)."""
        self._require_open(revoked_on)
        if not self.is_charity:
            raise StateConflict(
                Refusal.NOT_A_CHARITY,
                "吊销登记证书 applies to charities only; revoke the registration (撤销登记)",
            )
        return CertificateRevoked(
            organization_id=self.organization_id,
            revoked_on=revoked_on,
            reason=require_text("reason", reason),
        )

    def deregister(self, *, deregistered_on: date, reason: str) -> Deregistered:
        """注销登记: on the organization's application, or as the last act after a revocation."""
        self._require_exists()
        self._require_not_deregistered()
        self._require_not_before(deregistered_on, self.started_on, "registration")
        if self.revocation is not None:
            self._require_not_before(
                deregistered_on,
                self.revocation.revoked_on,
                "revocation",
                Refusal.DATE_BEFORE_REVOCATION,
            )
        return Deregistered(
            organization_id=self.organization_id,
            deregistered_on=deregistered_on,
            reason=require_text("reason", reason),
        )


def _check_rating(grade: str | None, decided_on: date, valid_until: date | None) -> Grade | None:
    """A grade comes with the end of its validity; no grade (cancelled) has none."""
    if grade is None:
        if valid_until is not None:
            raise InvalidCommand(Refusal.INVALID_RATING, "no grade, so no valid_until")
        return None
    if grade not in GRADE_OF:
        raise InvalidCommand(Refusal.INVALID_RATING, f"grade must be 1A–5A or none, not {grade!r}")
    if valid_until is None or valid_until <= decided_on:
        raise InvalidCommand(
            Refusal.INVALID_RATING, "a grade needs a valid_until after the decision date"
        )
    return GRADE_OF[grade]
