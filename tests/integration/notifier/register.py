"""A generated register for the notifier tests: organizations with reports on time, late or
missing, charities, ends, days found unreachable and removals from the 活动异常名录; as the
registry's CloudEvents and as the zombie rule's records."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.notifier.domain.zombie import Record
from shared.consumer import Delivered
from shared.contracts import registry as r
from shared.contracts.base import EventData, contract_of

KINDS = ("social_group", "social_group", "social_service_agency", "foundation", "community_org")
DIVISIONS = ("420106", "420111", "330203")


@dataclass(frozen=True)
class Generated:
    organization_id: str
    division: str
    record: Record
    events: list[EventData]


def delivered(payload: EventData, division: str, seq: int) -> Delivered:
    """The CloudEvent REGISTRY would carry for `payload`, as the consumer hands it over."""
    c = contract_of(payload)
    envelope: dict[str, Any] = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/socorg/registry",
        "type": f"socorg.registry.{c.name}",
        "subject": getattr(payload, "organization_id", ""),
        "schemaversion": c.schema_version,
        "division": division,
        "data": c.dump(payload),
    }
    d = ".".join((division[:2], division[2:4], division[4:]))
    return Delivered.of(envelope, f"registry.{d}.{c.name}", seq)


def _day(rng: random.Random, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))


def registration(
    org: str,
    n: int,
    division: str,
    registered_on: date,
    kind: str = "social_group",
    *,
    supervisory_unit: str | None = None,
) -> r.OrganizationRegistered:
    """The `n`th organization's registration, at county level in `division`."""
    return r.OrganizationRegistered(
        organization_id=org,
        credit_code=f"5{n:017d}",
        name=f"协会{n}",
        kind=kind,  # type: ignore[arg-type]
        level="county",
        registration_authority=division,
        domicile=division + "001",
        registered_on=registered_on,
        supervisory_unit=supervisory_unit,
    )


def community_filed(
    org: str, n: int, division: str, filed_on: date
) -> r.CommunityOrganizationFiled:
    """The `n`th community organization's filing (备案), in an urban community of `division`."""
    return r.CommunityOrganizationFiled(
        organization_id=org,
        filing_number=f"备{n}",
        name=f"社区组织{n}",
        street=division + "001",
        community=division + "001001",
        urban=True,
        filed_on=filed_on,
    )


def generate(n: int, seed: int = 15) -> list[Generated]:
    rng = random.Random(seed)
    out: list[Generated] = []
    for i in range(n):
        org, division = f"org-{i:05d}", DIVISIONS[i % len(DIVISIONS)]
        kind = rng.choice(KINDS)
        registered = _day(rng, date(2015, 1, 1), 365 * 10)
        supervised = kind != "community_org" and rng.random() < 0.3
        events: list[EventData] = []
        if kind == "community_org":
            events.append(community_filed(org, i, division, registered))
        else:
            unit = "某局" if supervised else None
            events.append(registration(org, i, division, registered, kind, supervisory_unit=unit))
        charity = None
        if kind != "community_org" and rng.random() < 0.2:
            charity = _day(rng, registered, 365 * 4)
            events.append(r.CharityRecognised(organization_id=org, recognised_on=charity))
        filed: dict[int, date] = {}
        if kind != "community_org":
            for year in range(registered.year, 2025):
                roll = rng.random()
                if roll < 0.55:
                    filed[year] = _day(rng, date(year + 1, 1, 1), 150)  # on time, mostly
                elif roll < 0.7:
                    filed[year] = _day(rng, date(year + 1, 6, 1), 700)  # late
            for year, day in sorted(filed.items()):
                events.append(
                    r.AnnualReportSubmitted(organization_id=org, year=year, submitted_on=day)
                )
        ended = None
        if rng.random() < 0.1:
            ended = _day(rng, registered + timedelta(days=1), 365 * 6)
            revoked = rng.random() < 0.5
            if kind == "community_org":  # a filing ends: 撤销备案 or 注销备案
                how = "revocation" if revoked else "deregistration"
                events.append(
                    r.FilingCancelled(organization_id=org, how=how, cancelled_on=ended, reason="x")
                )
            elif revoked:
                events.append(
                    r.RegistrationRevoked(organization_id=org, revoked_on=ended, reason="x")
                )
                events.append(
                    r.Deregistered(
                        organization_id=org, deregistered_on=ended + timedelta(days=90), reason="x"
                    )
                )
            else:
                events.append(
                    r.Deregistered(organization_id=org, deregistered_on=ended, reason="x")
                )
        unreachable, delisted = _credit_facts(random.Random(f"{seed}-{org}"), registered)
        for day in unreachable:
            events.append(r.UnreachableRecorded(organization_id=org, found_on=day))
        for day in delisted:
            events.append(
                r.CreditDelisted(
                    organization_id=org,
                    list="abnormal",
                    reason="obligation_fulfilled",
                    delisted_on=day,
                )
            )
        record = Record(kind, registered, charity, ended, filed, supervised, unreachable, delisted)
        out.append(Generated(org, division, record, events))
    return out


def _credit_facts(
    rng: random.Random, registered: date
) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """Days found unreachable at the registered address and removed from the 活动异常名录,
    for about one organization in five (drawn apart: the rest of the register is unchanged)."""
    if rng.random() >= 0.2:
        return (), ()
    found = tuple(sorted(_day(rng, registered, 365 * 9) for _ in range(rng.randint(1, 2))))
    removed = tuple(_day(rng, found[0], 365 * 3) for _ in range(rng.randint(0, 1)))
    return found, removed


def stream(register: list[Generated]) -> list[Delivered]:
    """Every organization's events in its order, organizations interleaved as a stream has them."""
    out: list[Delivered] = []
    for g in register:
        for e in g.events:
            out.append(delivered(e, g.division, len(out) + 1))
    return out
