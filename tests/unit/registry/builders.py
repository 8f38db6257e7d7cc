"""Organizations in known states for the registry's unit tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.registry.domain.credit_code import make_credit_code
from services.registry.domain.organization import Organization
from shared.contracts.registry import RegistryEvent

GROUP_CODE = make_credit_code("1", "420100", "MJH27162")
AGENCY_CODE = "52420100MJH27161X9"
FOUNDATION_CODE = "53100000500021676K"
REGISTERED_ON = date(2020, 5, 1)


def registration(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "credit_code": GROUP_CODE,
        "name": "武汉市软件行业协会",
        "kind": "social_group",
        "level": "city",
        "registered_on": REGISTERED_ON,
        "domicile": "420106",
    }
    return {**base, **overrides}


def apply_all(org: Organization, *events: RegistryEvent) -> Organization:
    for event in events:
        org = org.apply(event)
    return org


def registered(**overrides: Any) -> Organization:
    org = Organization("org-1")
    return org.apply(org.register(**registration(**overrides)))


def filed_community_org() -> Organization:
    org = Organization("org-2")
    return org.apply(
        org.file_community_organization(
            filing_number="江岸备2023-017",
            name="百步亭社区志愿者服务队",
            street="420102011",
            community="420102011003",
            urban=True,
            filed_on=date(2023, 3, 1),
        )
    )


def charity() -> Organization:
    org = registered(kind="foundation", credit_code=FOUNDATION_CODE, level="national")
    return org.apply(org.recognise_as_charity(recognised_on=date(2021, 1, 5)))


def revoked() -> Organization:
    org = registered()
    return org.apply(org.revoke_registration(revoked_on=date(2024, 6, 1), reason="一年未开展活动"))


def deregistered() -> Organization:
    org = registered()
    return org.apply(org.deregister(deregistered_on=date(2024, 6, 1), reason="自行解散，清算完毕"))
