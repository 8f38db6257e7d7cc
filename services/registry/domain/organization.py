"""The Organization aggregate: 成立登记, 备案 and 变更登记, plus the commands it gathers.

Commands never mutate: each checks the rules against the current state and returns the event
payload it decides; `apply` gives the state after that event. Dates come from the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.registry.domain.annual import AnnualCycle
from services.registry.domain.categories import Categories, shipped_categories
from services.registry.domain.changes import diff_changes
from services.registry.domain.credit import CreditDecisions
from services.registry.domain.decisions import BureauDecisions
from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.fields import (
    PLACE_CODE_LENGTHS,
    require_community_in_street,
    require_count,
    require_digits,
    require_text,
)
from services.registry.domain.filing import FilingEnds
from services.registry.domain.penalties import Sanctions
from services.registry.domain.places import Places
from services.registry.domain.registration import OverrideRequest, accept_credit_code
from services.registry.domain.reporting import LEGAL_PERSON_KINDS
from shared.contracts.registry import (
    CommunityOrganizationFiled,
    Kind,
    Level,
    OrganizationRegistered,
    RegistrationChanged,
)


class Organization(AnnualCycle, BureauDecisions, FilingEnds, Sanctions, CreditDecisions):
    """One organization on the register: its state and every command it accepts."""

    # ---- creation --------------------------------------------------------------------------

    def register(
        self,
        *,
        credit_code: str,
        name: str,
        kind: Kind,
        level: Level,
        registered_on: date,
        domicile: str,
        registration_authority: str | None = None,
        category: str | None = None,
        legal_representative: str | None = None,
        supervisory_unit: str | None = None,
        registered_capital_yuan: int | None = None,
        business_scope: str | None = None,
        override: OverrideRequest | None = None,
        places: Places | None = None,
        categories: Categories | None = None,
    ) -> OrganizationRegistered:
        """成立登记 of a social group, social service agency or foundation.

        With `places`, the code's authority must be a known place; with `categories`, the
        category must be one of the taxonomy's for this kind.
        """
        self._require_new()
        if kind not in LEGAL_PERSON_KINDS:
            raise InvalidCommand(
                Refusal.KIND_NOT_REGISTRABLE,
                f"{kind} is filed (备案), not registered: file it as a community organization",
            )
        accepted = accept_credit_code(credit_code, kind, override, level=level, places=places)
        credit_code = accepted.code
        return OrganizationRegistered(
            organization_id=self.organization_id,
            credit_code=credit_code,
            name=require_text("name", name),
            kind=kind,
            category=_category(categories, category, kind),
            level=level,
            # the code's digits 3–8 name the registering authority unless told otherwise
            registration_authority=require_digits(
                "registration_authority", registration_authority or credit_code[2:8], (6,)
            ),
            domicile=require_digits("domicile", domicile, PLACE_CODE_LENGTHS),
            registered_on=registered_on,
            legal_representative=legal_representative,
            supervisory_unit=supervisory_unit,
            registered_capital_yuan=require_count(
                "registered_capital_yuan", registered_capital_yuan
            ),
            business_scope=business_scope,
            code_override=accepted.override,
        )

    def file_community_organization(
        self,
        *,
        filing_number: str,
        name: str,
        street: str,
        community: str,
        urban: bool,
        filed_on: date,
        category: str | None = None,
        categories: Categories | None = None,
    ) -> CommunityOrganizationFiled:
        """社区社会组织备案 with a street/township (no legal personhood, no credit code)."""
        self._require_new()
        require_digits("street", street, (9,))
        require_digits("community", community, (12,))
        require_community_in_street(street, community)
        return CommunityOrganizationFiled(
            organization_id=self.organization_id,
            filing_number=require_text("filing_number", filing_number),
            name=require_text("name", name),
            category=_category(categories, category, "community_org"),
            street=street,
            community=community,
            urban=urban,
            filed_on=filed_on,
        )

    # ---- life of an active organization ----------------------------------------------------

    def change_registration(
        self, changes: Mapping[str, object], *, changed_on: date
    ) -> RegistrationChanged:
        """变更登记: the fields that change, each with its old and new value."""
        self._require_open(changed_on)
        if isinstance(category := changes.get("category"), str) and self.kind is not None:
            changes = {**changes, "category": _category(None, category, self.kind)}
        return RegistrationChanged(
            organization_id=self.organization_id,
            changed_on=changed_on,
            changes=diff_changes(self, changes),
        )


def _category(categories: Categories | None, name: str | None, kind: Kind) -> str | None:
    """A known category for `kind`, stored by its name (the shipped taxonomy by default)."""
    if name is None:
        return None
    return (categories or shipped_categories()).require(name, kind).name


def domicile_of(org: Organization) -> str:
    """Where an organization is: its domicile, or its community for a filed organization."""
    place = org.domicile or org.community
    if place is None:
        raise ValueError(f"{org.organization_id} has no place")
    return place
