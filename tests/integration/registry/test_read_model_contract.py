"""One contract for the registry's read-model port: the fake, SQLite and PostgreSQL.

The handler unit tests run on the fake (tests/unit/registry/fakes.py); this keeps it honest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from services.registry.adapters.places_file import load_places
from services.registry.adapters.register import SqlRegister
from services.registry.app.ports import Register
from services.registry.app.streams import CODEC, stream_of
from services.registry.domain.errors import IdentifierTaken
from services.registry.domain.organization import Organization
from shared.contracts.registry import RegistryEvent
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, WrongExpectedVersion
from shared.eventstore.sql import SqlEventStore
from tests.unit.registry.builders import GROUP_CODE, registration
from tests.unit.registry.fakes import FakeRegister

META = EventMetadata(client="test-client")
PLACES = load_places()
FILING = "江岸备2023-017"


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def register(request: pytest.FixtureRequest) -> AsyncIterator[Register]:
    if request.param == "fake":
        yield FakeRegister()
        return
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    if request.param == "postgres":  # the database is shared by the run: empty the read model
        sync = create_engine(url)
        with sync.begin() as conn:
            conn.execute(text("TRUNCATE organizations, annual_reports"))
        sync.dispose()
    engine = make_async_engine(url)
    yield SqlRegister(SqlEventStore(engine), PLACES)
    await engine.dispose()


def group(oid: str, **fields: object) -> tuple[Organization, RegistryEvent]:
    org = Organization(oid)
    event = org.register(**registration(**fields))
    return org.apply(event), event


def community(oid: str, filing_number: str = FILING) -> tuple[Organization, RegistryEvent]:
    org = Organization(oid)
    event = org.file_community_organization(
        filing_number=filing_number,
        name="百步亭社区志愿者服务队",
        street="420102011",
        community="420102011003",
        urban=True,
        filed_on=date(2023, 3, 1),
    )
    return org.apply(event), event


async def put(
    register: Register, org: Organization, event: RegistryEvent, *, expected: int = 0
) -> None:
    """The organization's rows after `event`, written with the event's append."""
    async with register.unit_of_work() as uow:
        await uow.organizations.put(org, event)
        uow.events.append(
            stream_of(org.organization_id), expected, [CODEC.encode(event)], metadata=META
        )


async def test_a_row_put_in_a_committed_unit_of_work_names_its_holder(register: Register) -> None:
    await put(register, *group("a" * 32))
    await put(register, *community("b" * 32))
    rows = register.organizations
    assert await rows.holder_of(credit_code=GROUP_CODE) == "a" * 32
    assert await rows.holder_of(filing_number=FILING) == "b" * 32
    assert await rows.holder_of(credit_code="51420100MJH00000XX") is None
    assert await rows.holder_of(filing_number="无此备案号") is None


async def test_an_identifier_another_organization_holds_is_refused_naming_the_holder(
    register: Register,
) -> None:
    await put(register, *group("a" * 32))
    await put(register, *community("b" * 32))
    with pytest.raises(IdentifierTaken) as code:
        await put(register, *group("c" * 32, name="另一个协会"))
    assert (code.value.what, code.value.value, code.value.holder) == (
        "credit code",
        GROUP_CODE,
        "a" * 32,
    )
    with pytest.raises(IdentifierTaken) as number:
        await put(register, *community("d" * 32))
    assert (number.value.what, number.value.holder) == ("filing number", "b" * 32)
    assert await register.events.read_stream(stream_of("c" * 32)) == []
    assert await register.events.head_position() == 2


async def test_a_later_state_of_the_same_organization_keeps_its_identifier(
    register: Register,
) -> None:
    org, event = group("a" * 32)
    await put(register, org, event)
    change = org.change_registration({"name": "武汉软件协会"}, changed_on=date(2024, 1, 2))
    await put(register, org.apply(change), change, expected=1)
    assert await register.organizations.holder_of(credit_code=GROUP_CODE) == "a" * 32
    assert await register.events.stream_version(stream_of("a" * 32)) == 2


async def test_a_unit_of_work_that_fails_leaves_no_row(register: Register) -> None:
    org, event = group("a" * 32)
    with pytest.raises(WrongExpectedVersion):
        await put(register, org, event, expected=3)
    assert await register.organizations.holder_of(credit_code=GROUP_CODE) is None
    await put(register, org, event)  # the identifier is free: nothing of the failure remains
    assert await register.organizations.holder_of(credit_code=GROUP_CODE) == "a" * 32
