"""How a community organization's filing ends: 注销备案 and 撤销备案.

A community organization (社区社会组织) is filed (备案) with the street/township, not registered:
it has no registration to revoke (撤销登记) or deregister (注销登记). Its filing ends instead —
注销备案 on its own application, 撤销备案 by the filing authority — and after that it accepts
nothing, its history readable, as after 注销.
"""

from __future__ import annotations

from datetime import date

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.fields import require_text
from services.registry.domain.state import OrganizationState
from shared.contracts.registry import FilingCancelled, FilingEnd

# 注销备案 / 撤销备案 as the bureaus write them, and the stable values the event carries.
FILING_END_OF: dict[str, FilingEnd] = {
    "注销备案": "deregistration",
    "撤销备案": "revocation",
    "deregistration": "deregistration",
    "revocation": "revocation",
}


class FilingEnds(OrganizationState):
    """The end of a filed community organization."""

    def cancel_filing(self, *, how: str, cancelled_on: date, reason: str) -> FilingCancelled:
        """注销备案 or 撤销备案 of a community organization, in date order like every act."""
        self._require_open(cancelled_on)
        if self.kind != "community_org":
            raise StateConflict(
                Refusal.NOT_FILED,
                "注销备案 / 撤销备案 end a filing; a registered organization ends by 撤销登记 "
                "or 注销登记",
            )
        if how not in FILING_END_OF:
            raise InvalidCommand(
                Refusal.INVALID_FIELD, f"how must be 注销备案 or 撤销备案, not {how!r}"
            )
        return FilingCancelled(
            organization_id=self.organization_id,
            how=FILING_END_OF[how],
            cancelled_on=cancelled_on,
            reason=require_text("reason", reason),
        )
