"""Bureau decisions on an organization: charity status, 限期整改, rating, and how it ends."""

from __future__ import annotations

from datetime import date
from typing import get_args

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.fields import require_optional_text, require_text
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
from shared.rules.rating import Regime, rateable_from, regime_of, regime_validity

GRADE_OF: dict[str, Grade] = {g: g for g in get_args(Grade)}
REGIME_NAME: dict[Regime, str] = {
    "mca_order_39": "民政部令第39号 (art. 28)",
    "revision_2026": "the 2026 revision of 《社会组织评估管理办法》",
}


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
        announced_on: date | None = None,
        valid_from: date | None = None,
        override_reason: str | None = None,
    ) -> RatingChanged | None:
        """等级评估 result recorded: a grade 1A–5A with its validity, or none (cancelled).

        None when this evaluation's grade is already recorded: evaluation retries, and a
        retry is answered with the state as it stands (docs/registry.md, Rating).
        """
        self._require_exists()
        if self._already_recorded(grade, evaluation_id):
            return None
        if grade is None and self.status == "in_liquidation":
            # cancelling a grade stays possible in liquidation (the end voided it already)
            self._require_not_before(decided_on, self.started_on, "registration")
            self._require_in_order(decided_on)
        else:
            self._require_open(decided_on)
        if self.kind == "community_org":
            raise StateConflict(
                Refusal.RATING_ON_COMMUNITY_ORG,
                "a community organization (社区社会组织) is filed, not registered: it is not rated",
            )
        announced = announced_on or decided_on
        if announced < decided_on:
            raise InvalidCommand(
                Refusal.INVALID_RATING,
                f"announced_on {announced} is before the decision on {decided_on}",
            )
        override = require_optional_text("override_reason", override_reason)
        regime = regime_of(decided_on)
        valid_grade = _check_grade(grade)
        if grade is None:
            if valid_until is not None or valid_from is not None:
                raise InvalidCommand(Refusal.INVALID_RATING, "no grade, so no validity")
            valid = None
        else:
            valid = self._validity(regime, decided_on, announced, valid_from, valid_until, override)
            self._require_rateable(decided_on, override)
        current = self.rating
        if (valid_grade, valid and valid[1], evaluation_id) == (
            (current.grade, current.valid_until, current.evaluation_id) if current else (None,) * 3
        ):
            raise StateConflict(Refusal.RATING_UNCHANGED, "the rating is already this one")
        return RatingChanged(
            organization_id=self.organization_id,
            grade=valid_grade,
            decided_on=decided_on,
            valid_until=valid and valid[1],
            evaluation_id=evaluation_id,
            reason=reason,
            announced_on=announced,
            regime=regime,
            valid_from=valid and valid[0],
            override_reason=override,
        )

    def _already_recorded(self, grade: str | None, evaluation_id: str | None) -> bool:
        """This evaluation's result is the rating on record (a retry); another result under
        the same evaluation is a conflict."""
        r = self.rating
        if evaluation_id is None or r is None or r.evaluation_id != evaluation_id:
            return False
        if r.grade != grade:
            raise StateConflict(
                Refusal.EVALUATION_ALREADY_RECORDED,
                f"evaluation {evaluation_id} is recorded with grade {r.grade or 'none'}, "
                f"not {grade or 'none'}",
            )
        return True

    @staticmethod
    def _validity(
        regime: Regime,
        decided_on: date,
        announced_on: date,
        valid_from: date | None,
        valid_until: date | None,
        override: str | None,
    ) -> tuple[date, date]:
        """The validity the regime gives, or the bureau's own with a reason (override)."""
        given = regime_validity(regime, decided_on, announced_on)
        valid = (valid_from or given[0], valid_until or given[1])
        if valid[1] <= decided_on or valid[1] < valid[0]:
            raise InvalidCommand(
                Refusal.INVALID_RATING,
                f"a grade valid {valid[0]} – {valid[1]} must end after the decision "
                f"on {decided_on}",
            )
        if valid != given and override is None:
            raise InvalidCommand(
                Refusal.INVALID_RATING_VALIDITY,
                f"under {REGIME_NAME[regime]} a grade decided on {decided_on} "
                f"(announced {announced_on}) is valid {given[0]} – {given[1]}, not "
                f"{valid[0]} – {valid[1]}; another validity needs an override_reason",
            )
        return valid

    def _require_rateable(self, decided_on: date, override: str | None) -> None:
        if self.started_on is None or override is not None:
            return
        first = rateable_from(self.started_on)
        if decided_on < first:
            raise StateConflict(
                Refusal.RATING_TOO_EARLY,
                f"registered on {self.started_on}: not two full years (取得登记证书满两个年度, "
                f"民政部令第39号 art. 6) until {first}; a grade before needs an override_reason",
            )

    # ---- endings ---------------------------------------------------------------------------

    def revoke_registration(self, *, revoked_on: date, reason: str) -> RegistrationRevoked:
        """撤销登记: an administrative sanction; the organization goes into liquidation."""
        self._require_open(revoked_on)
        self._require_registered("撤销登记 (revocation of registration)")
        return RegistrationRevoked(
            organization_id=self.organization_id,
            revoked_on=revoked_on,
            reason=require_text("reason", reason),
            voided_grade=self.grade_on(revoked_on),
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
            voided_grade=self.grade_on(revoked_on),
        )

    def deregister(self, *, deregistered_on: date, reason: str) -> Deregistered:
        """注销登记: on the organization's application, or as the last act after a revocation."""
        self._require_exists()
        self._require_not_deregistered()
        self._require_registered("注销登记 (deregistration)")
        self._require_not_before(deregistered_on, self.started_on, "registration")
        if self.revocation is not None:
            self._require_not_before(
                deregistered_on,
                self.revocation.revoked_on,
                "revocation",
                Refusal.DATE_BEFORE_REVOCATION,
            )
        self._require_in_order(deregistered_on)
        return Deregistered(
            organization_id=self.organization_id,
            deregistered_on=deregistered_on,
            reason=require_text("reason", reason),
            voided_grade=self.grade_on(deregistered_on),
        )

    def _require_registered(self, what: str) -> None:
        """The endings of a registration are for registered (legal-person) organizations: a
        community organization was filed, and ends by 注销备案 / 撤销备案."""
        if self.kind == "community_org":
            raise StateConflict(
                Refusal.NOT_REGISTERED_BUT_FILED,
                f"{what} ends a registration; a community organization (社区社会组织) was filed "
                "(备案): cancel its filing (POST /v1/community-organizations/{id}/"
                "filing-cancellation)",
            )


def _check_grade(grade: str | None) -> Grade | None:
    if grade is None:
        return None
    if grade not in GRADE_OF:
        raise InvalidCommand(Refusal.INVALID_RATING, f"grade must be 1A–5A or none, not {grade!r}")
    return GRADE_OF[grade]
