"""The reference projection through the consumer runner, every path, on SQLite and PostgreSQL
with a real nats-server: batches, redeliveries and duplicates, poison messages and payloads
the contracts refuse, upcasting, replay, and a rebuild swapped in while readers read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from nats.aio.msg import Msg
from sqlalchemy import func, inspect, select

from shared import checkpoints
from shared.consumer import AlreadyReplayed
from shared.contracts import base
from shared.contracts.base import UnknownEventType
from shared.eventstore import NewEvent
from tests.conftest import NatsServer
from tests.integration.consumer_reference import (
    DIVISIONS,
    Refused,
    Rig,
    changed,
    orgs_table,
    registered,
    running,
)
from tests.integration.readers import reading


@pytest.fixture
async def rig(database_url: str, nats_server: NatsServer) -> AsyncIterator[Rig]:
    async with running(database_url, nats_server.url) as rig:
        yield rig


async def register(rig: Rig, n: int, *, tag: str = "", poison: int | None = None) -> list[str]:
    """n organizations of three events each: registered, a change, a change of name."""
    orgs = [f"org-{tag}{i}" for i in range(n)]
    for i, org in enumerate(orgs):
        first = changed(org, "poison") if i == poison else changed(org)
        events = [registered(org, DIVISIONS[i % 2]), first, changed(org, "name", f"{org} 新名")]
        await rig.append(org, events, division=DIVISIONS[i % 2])
    return orgs


def expected(orgs: list[str], changes: int = 2) -> dict[str, tuple[str, str, int]]:
    return {org: (f"{org} 新名", DIVISIONS[i % 2], changes) for i, org in enumerate(orgs)}


async def parked(rig: Rig, n: int, within: float = 60) -> list[dict[str, Any]]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        found = await rig.runner.dead_letters()
        if len(found) >= n or loop.time() > deadline:
            return found
        await asyncio.sleep(0.05)


async def test_batches_are_applied_whole_through_apply_batch(rig: Rig) -> None:
    orgs = await register(rig, 40)
    assert await rig.wait_applied(120) == await rig.stored()
    assert await rig.organizations() == expected(orgs)
    assert rig.projection.one_by_one == {}  # nothing failed: no event was applied alone
    assert sum(n for _, n in rig.projection.batches) == 120
    assert {table for table, _ in rig.projection.batches} == {"ref_organizations"}
    async with rig.engine.connect() as conn:
        assert await checkpoints.load(conn, "consumer:reference") == 120


async def fetch_again(rig: Rig, n: int) -> list[Msg]:
    """The stream's first n messages once more, through a durable consumer of the test's own."""
    sub = await rig.link.jetstream().pull_subscribe("registry.>", "again", stream="REGISTRY")
    msgs: list[Msg] = []
    while len(msgs) < n:
        msgs += await sub.fetch(n - len(msgs), timeout=5)
    await sub.unsubscribe()
    return msgs


async def test_redelivered_and_duplicate_messages_change_nothing(rig: Rig) -> None:
    orgs = await register(rig, 20)
    await rig.wait_applied(60)
    before, batches = await rig.organizations(), list(rig.projection.batches)
    # Duplicates handed to the runner: at or below its checkpoint, acked with no effect.
    await rig.runner.handle(await fetch_again(rig, 60))
    assert await rig.organizations() == before == expected(orgs)
    assert rig.projection.batches == batches and rig.projection.one_by_one == {}
    # The durable gone: the runner makes it anew from its checkpoint.
    await rig.link.jetstream().delete_consumer("REGISTRY", "reference")
    more = await register(rig, 5, tag="more-")
    assert await rig.wait_applied(75) == await rig.stored()
    assert await rig.organizations() == {**expected(orgs), **expected(more)}
    assert await rig.runner.dead_letters() == []


async def test_a_poison_change_is_retried_parked_and_replayed_once_while_the_rest_goes_on(
    rig: Rig,
) -> None:
    orgs = await register(rig, 10, poison=3)  # org-3's first change, stream seq 11
    [letter] = await parked(rig, 1)
    await rig.wait_applied(29)
    assert letter["stream_seq"] == 11 and "Refused: cannot digest" in letter["error"]
    # its batch failed whole, then it failed alone once and in each of its retries
    assert letter["attempts"] == 3 and rig.projection.one_by_one[11] == 3
    organizations = await rig.organizations()
    assert organizations == {**expected(orgs), "org-3": ("org-3 新名", DIVISIONS[1], 1)}
    with pytest.raises(Refused):
        await rig.runner.replay(letter["id"])  # still refused: stays parked
    assert [d["id"] for d in await rig.runner.dead_letters()] == [letter["id"]]
    rig.projection.fixed = True
    await rig.runner.replay(letter["id"])
    with pytest.raises(AlreadyReplayed):
        await rig.runner.replay(letter["id"])
    assert await rig.applied() == await rig.stored()
    assert await rig.organizations() == expected(orgs)
    assert await rig.runner.dead_letters() == []
    assert len(await rig.runner.dead_letters(include_replayed=True)) == 1
    later = await register(rig, 2, tag="later-")  # and the consumer goes on
    await rig.wait_applied(36)
    assert await rig.organizations() == {**expected(orgs), **expected(later)}


async def test_payloads_the_contracts_refuse_are_parked_with_their_error(rig: Rig) -> None:
    await rig.append("org-a", [registered("org-a", DIVISIONS[0])])
    no_id = {"changed_on": "2024-03-01", "changes": {"name": ["a", "b"]}}
    await rig.append("org-a", [NewEvent("registration_changed", no_id)], after=1)
    await rig.append("org-b", [NewEvent("x_happened", {"n": 1})])
    await rig.append("org-c", [registered("org-c", DIVISIONS[1])])
    invalid, unknown = await parked(rig, 2)
    assert invalid["stream_seq"] == 2 and "ValidationError" in invalid["error"]
    assert "organization_id" in invalid["error"]
    assert unknown["stream_seq"] == 3 and "UnknownEventType" in unknown["error"]
    await rig.wait_applied(2)
    assert set(await rig.organizations()) == {"org-a", "org-c"}
    with pytest.raises(UnknownEventType):
        await rig.runner.replay(unknown["id"])


async def test_an_old_schema_version_is_upcast_before_the_projection_reads_it(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    def from_v0(data: dict[str, Any]) -> dict[str, Any]:
        """A version 0 named the organization `org`."""
        rest = {k: v for k, v in data.items() if k != "org"}
        return {**rest, "organization_id": data["org"]}

    monkeypatch.setitem(base._UPCASTERS, ("registry.registration_changed", 0), from_v0)
    old = {"org": "org-u", "changed_on": "2024-03-01", "changes": {"name": ["a", "旧名新写"]}}
    await rig.append("org-u", [registered("org-u", DIVISIONS[0])])
    await rig.append("org-u", [NewEvent("registration_changed", old, schema_version=0)], after=1)
    await rig.wait_applied(2)
    assert await rig.organizations() == {"org-u": ("旧名新写", DIVISIONS[0], 1)}
    assert await rig.runner.dead_letters() == []


async def test_a_rebuild_fills_shadow_tables_and_swaps_them_in_while_readers_read(
    rig: Rig,
) -> None:
    orgs = await register(rig, 40)
    await rig.wait_applied(120)
    q = select(func.count()).where(orgs_table.c.division == DIVISIONS[0])
    async with reading(rig.engine, q) as reads:
        writer = asyncio.create_task(register(rig, 5, tag="during-"))
        applied = await asyncio.wait_for(rig.runner.rebuild(), 60)
        during = await writer
    assert reads.errors == [] and reads.count > 0
    assert applied >= 120
    shadow = {table for table, _ in rig.projection.batches if table != "ref_organizations"}
    assert len(shadow) == 1 and shadow.pop().startswith("ref_organizations__r")
    assert await rig.wait_applied(135) == await rig.stored()
    assert await rig.organizations() == {**expected(orgs), **expected(during)}
    async with rig.engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert [n for n in names if n.startswith("ref_")] == ["ref_events", "ref_organizations"]
