"""Credit lists (社会组织信用信息管理办法, 民政部令第60号): the bureau's listing and removal
decisions, and the fact "unreachable at the registered address" (candidates: credit_candidates.py).

Listing (art. 13, 17) and removal (art. 15, 19) are decisions of the registration authority:
the register proposes (`candidates`), the bureau confirms by recording the decision.
"""

from __future__ import annotations

from datetime import date

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.state import OrganizationState
from shared.contracts.registry import (
    CreditDelisted,
    CreditList,
    CreditListed,
    CreditRemoval,
    UnreachableRecorded,
)

ABNORMAL_TRIGGERS: frozenset[str] = frozenset(
    {
        "report_not_filed",
        "rectification_not_completed",
        "unreachable_at_address",
        "warning_or_small_fine",
    }
)
SERIOUS_TRIGGERS: frozenset[str] = frozenset(
    {
        "abnormal_two_years",
        "registration_revoked",
        "large_fine",
        "repeated_penalties",
        "suspension",
        "fraudulent_change",
        "change_revoked",
        "dishonest_debtor",
    }
)


class CreditDecisions(OrganizationState):
    def record_unreachable(self, *, found_on: date, note: str | None = None) -> UnreachableRecorded:
        """无法取得联系: found unreachable at its registered address on a day."""
        self._require_open(found_on)
        return UnreachableRecorded(
            organization_id=self.organization_id, found_on=found_on, note=note
        )

    def list_on_credit(
        self,
        *,
        list: CreditList,
        trigger: str,
        listed_on: date,
        decision_number: str | None = None,
        basis: str | None = None,
    ) -> CreditListed:
        """列入: a legal person, open or in liquidation (a revocation lists it), by trigger."""
        self._require_exists()
        self._require_not_deregistered()
        self._require_legal_person("a credit list (信用信息管理)")
        self._require_not_before(listed_on, self.started_on, "registration")
        allowed = ABNORMAL_TRIGGERS if list == "abnormal" else SERIOUS_TRIGGERS
        if trigger not in allowed:
            raise InvalidCommand(
                Refusal.INVALID_CREDIT_TRIGGER,
                f"{trigger!r} does not put an organization on the {list} list; "
                f"one of {', '.join(sorted(allowed))}",
            )
        return CreditListed(
            organization_id=self.organization_id,
            list=list,
            trigger=trigger,
            listed_on=listed_on,
            decision_number=decision_number,
            basis=basis,
        )

    def delist_from_credit(
        self,
        *,
        list: CreditList,
        reason: CreditRemoval,
        delisted_on: date,
        decision_number: str | None = None,
    ) -> CreditDelisted:
        """移出: off a list it is on; after 撤销/吊销 the serious list only by 注销."""
        self._require_exists()
        listing = self.credit_listings.get(list)
        if listing is None:
            raise StateConflict(Refusal.NOT_ON_CREDIT_LIST, f"not on the {list} list")
        self._require_not_before(
            delisted_on, listing.listed_on, "listing", Refusal.DATE_BEFORE_LISTING
        )
        if self.status == "deregistered" and reason != "deregistered":
            self._require_not_deregistered()
        if reason == "deregistered" and self.status != "deregistered":
            raise StateConflict(Refusal.CREDIT_REMOVAL_REFUSED, "it is not deregistered (注销)")
        if (
            list == "serious"
            and listing.trigger == "registration_revoked"
            and reason not in ("deregistered", "corrected")
        ):
            raise StateConflict(
                Refusal.CREDIT_REMOVAL_REFUSED,
                "listed for 撤销/吊销: only 注销 takes it off the serious list",
            )
        return CreditDelisted(
            organization_id=self.organization_id,
            list=list,
            reason=reason,
            delisted_on=delisted_on,
            decision_number=decision_number,
        )
