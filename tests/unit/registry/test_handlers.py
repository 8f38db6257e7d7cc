"""The registry's command handler on the in-memory event store and fake read model: no database.

Built through the same bootstrap as the service (services/registry/bootstrap.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import pytest

from services.registry.adapters.places_file import load_places
from services.registry.app import commands as c
from services.registry.app.errors import (
    DuplicateIdentifier,
    MissingScope,
    OrganizationNotFound,
    OutsideClientArea,
    VersionConflict,
)
from services.registry.app.handlers import Actor
from services.registry.bootstrap import Registry, bootstrap
from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.registration import OverrideRequest
from shared.clock import SHANGHAI, FixedClock
from tests.unit.registry.builders import GROUP_CODE
from tests.unit.registry.fakes import FakeRegister

TODAY = date(2025, 6, 15)
PLACES = load_places()
CLERK = Actor("client-1", "武汉市民政局", lambda place: True, correlation_id="req-1")
IN_NINGBO = Actor("client-2", "宁波市民政局", lambda place: place.startswith("3302"))


@pytest.fixture
def fake() -> FakeRegister:
    return FakeRegister()


@pytest.fixture
def registry(fake: FakeRegister) -> Registry:
    return bootstrap(register=fake, places=PLACES, clock=FixedClock(TODAY))


def register(**overrides: Any) -> c.RegisterOrganization:
    fields: dict[str, Any] = {
        "credit_code": GROUP_CODE,
        "name": "武汉市软件行业协会",
        "kind": "social_group",
        "level": "city",
        "domicile": "420106",
        "registered_on": date(2020, 5, 1),
    }
    return c.RegisterOrganization(**{**fields, **overrides})


async def test_a_registration_saves_its_event_and_the_read_model_together(
    registry: Registry, fake: FakeRegister
) -> None:
    org = await registry.handlers.handle(register(), CLERK)
    [event] = await fake.store.read_stream(f"organization-{org.organization_id}")
    assert (event.type, event.version, event.division) == ("organization_registered", 1, "420106")
    assert event.occurred_at == datetime.combine(date(2020, 5, 1), time(), SHANGHAI)
    assert (event.metadata.client, event.metadata.actor) == ("client-1", "武汉市民政局")
    assert event.metadata.correlation_id == "req-1"
    assert await fake.organizations.holder_of(credit_code=GROUP_CODE) == org.organization_id
    assert await registry.queries.id_by(credit_code=GROUP_CODE) == org.organization_id


async def test_an_act_without_a_date_is_dated_today_and_a_future_one_refused(
    registry: Registry, fake: FakeRegister
) -> None:
    org = await registry.handlers.handle(register(registered_on=None), CLERK)
    assert org.started_on == TODAY
    with pytest.raises(InvalidCommand) as refused:
        await registry.handlers.handle(
            c.RecogniseAsCharity(organization_id="nowhere", recognised_on=date(2025, 6, 16)), CLERK
        )
    assert refused.value.code is Refusal.DATE_IN_FUTURE  # before the organization is read
    assert await fake.store.head_position() == 1


async def test_a_credit_code_held_by_another_organization_is_refused_naming_it(
    registry: Registry, fake: FakeRegister
) -> None:
    first = await registry.handlers.handle(register(), CLERK)
    with pytest.raises(DuplicateIdentifier) as refused:
        await registry.handlers.handle(register(name="另一个协会"), CLERK)
    assert refused.value.details == {"organization_id": first.organization_id}
    assert f"already registered to {first.organization_id}" in refused.value.message
    assert await fake.store.head_position() == 1
    assert list(fake.rows) == [first.organization_id]


async def test_a_filing_number_held_by_another_organization_is_refused_naming_it(
    registry: Registry,
) -> None:
    filing = c.FileCommunityOrganization(
        filing_number="江岸备2023-017", name="百步亭社区志愿者服务队", community="420102011003"
    )
    first = await registry.handlers.handle(filing, CLERK)
    assert (first.street, first.urban, first.started_on) == ("420102011", True, TODAY)
    with pytest.raises(DuplicateIdentifier, match=f"held by {first.organization_id}"):
        await registry.handlers.handle(replace(filing, name="另一支队伍"), CLERK)


async def test_a_command_at_a_version_the_organization_has_left_is_a_conflict(
    registry: Registry, fake: FakeRegister
) -> None:
    org = await registry.handlers.handle(register(), CLERK)
    oid = org.organization_id
    after = await registry.handlers.handle(
        c.RecogniseAsCharity(organization_id=oid, expected_version=1), CLERK
    )
    assert (after.version, after.charity_since) == (2, TODAY)
    with pytest.raises(VersionConflict) as refused:
        await registry.handlers.handle(
            c.OrderDisposal(
                organization_id=oid, expected_version=1, due_on=date(2025, 9, 1), reason="整改"
            ),
            CLERK,
        )
    assert refused.value.details == {"current_version": 2, "expected_version": 1}
    assert fake.rows[oid].version == 2


async def test_an_unknown_organization_is_not_found(registry: Registry) -> None:
    with pytest.raises(OrganizationNotFound):
        await registry.handlers.handle(c.Deregister(organization_id="nobody", reason="r"), CLERK)


async def test_a_key_limited_to_another_area_may_not_write_here(
    registry: Registry, fake: FakeRegister
) -> None:
    with pytest.raises(OutsideClientArea):
        await registry.handlers.handle(register(), IN_NINGBO)
    org = await registry.handlers.handle(register(), CLERK)
    with pytest.raises(OutsideClientArea):
        await registry.handlers.handle(
            c.RevokeRegistration(organization_id=org.organization_id, reason="违法"), IN_NINGBO
        )
    assert await fake.store.head_position() == 1


async def test_an_override_needs_its_scope(registry: Registry) -> None:
    override = OverrideRequest("张科长", "1998 年颁发的旧代码")
    with pytest.raises(MissingScope) as refused:
        await registry.handlers.handle(register(override=override), CLERK)
    assert refused.value.details == {"required_scope": "registry:override"}


async def test_the_aggregate_refusal_comes_through_and_nothing_is_saved(
    registry: Registry, fake: FakeRegister
) -> None:
    org = await registry.handlers.handle(register(), CLERK)
    with pytest.raises(StateConflict):
        await registry.handlers.handle(
            c.RevokeCertificate(organization_id=org.organization_id, reason="违法"), CLERK
        )
    assert await fake.store.head_position() == 1


async def test_every_command_on_an_organization_reaches_its_aggregate_method(
    registry: Registry, fake: FakeRegister
) -> None:
    oid = (await registry.handlers.handle(register(kind="social_group"), CLERK)).organization_id
    steps: list[c.OnOrganization] = [
        c.ChangeRegistration(organization_id=oid, changes={"name": "武汉软件协会"}),
        c.SubmitAnnualReport(organization_id=oid, year=2024, staff_employed=3),
        c.ConcludeInspection(organization_id=oid, year=2024, conclusion="qualified"),
        c.RecogniseAsCharity(organization_id=oid),
        c.ChangeRating(organization_id=oid, grade="4A", override_reason="评估委员会决定"),
        c.OrderDisposal(organization_id=oid, due_on=date(2025, 9, 1), reason="整改"),
        c.RevokeCertificate(organization_id=oid, reason="违法"),
        c.Deregister(organization_id=oid, reason="清算完毕"),
    ]
    for step in steps:
        await registry.handlers.handle(step, CLERK)
    stored = await fake.store.read_stream(f"organization-{oid}")
    assert [e.type for e in stored] == [
        "organization_registered",
        "registration_changed",
        "annual_report_submitted",
        "inspection_concluded",
        "charity_recognised",
        "rating_changed",
        "disposal_ordered",
        "certificate_revoked",
        "deregistered",
    ]
    assert fake.rows[oid].status == "deregistered"
    as_of = await registry.queries.organization(oid, as_of=date(2024, 1, 1))
    assert as_of.version == 1 and as_of.name == "武汉市软件行业协会"


async def test_a_write_marks_where_it_is_and_a_retry_of_it_is_answered_without_writing(
    registry: Registry, fake: FakeRegister
) -> None:
    org = await registry.handlers.handle(register(), CLERK)
    stream = f"organization-{org.organization_id}"
    assert fake.marks == [(stream, 1)]
    await registry.handlers.handle(c.RecogniseAsCharity(organization_id=org.organization_id), CLERK)
    assert fake.marks == [(stream, 1), (stream, 2)]
    fake.earlier = (stream, 1)  # the retry of the registration, whose answer was lost
    again = await registry.handlers.handle(register(), CLERK)
    assert (again.organization_id, again.version, again.charity_since) == (
        org.organization_id,
        1,
        None,
    )
    assert await fake.store.head_position() == 2 and len(fake.marks) == 2


async def test_a_refused_write_marks_nothing(registry: Registry, fake: FakeRegister) -> None:
    await registry.handlers.handle(register(), CLERK)
    with pytest.raises(DuplicateIdentifier):
        await registry.handlers.handle(register(name="另一个协会"), CLERK)
    assert len(fake.marks) == 1
