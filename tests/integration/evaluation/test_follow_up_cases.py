"""跟踪评估 cases over the API on SQLite and PostgreSQL: each organization a draw picks is a
follow_up rating change that the bureau closes with its result (a downgrade recorded for the
registry through the same outbox as any decision); a draw of 5,000 among 50,000 fits the event
size limit and is read back from its cases; a draw recorded under schema 1 still answers who
was drawn."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.evaluation.adapters.tables import organizations, ratings
from shared.bulk import insert_rows
from shared.clock import SHANGHAI
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, NewEvent
from shared.eventstore.sql import SqlEventStore
from tests.integration.evaluation import test_rounds_api
from tests.integration.evaluation.test_follow_up_draws import a_register
from tests.integration.evaluation.test_rounds_api import D, World, ok, problem
from tests.unit.evaluation.builders import DRAWN_V1

world = test_rounds_api.world  # the evaluation served on a fixed clock (the fixture)
DRAW = {"authority": "420100", "share": 1, "seed": 7}


async def changes(world: World, **params: str) -> list[dict[str, Any]]:
    return list(ok(await world.api.get("/v1/rating-changes", params=params))["items"])


async def test_a_follow_up_case_closed_with_a_downgrade_goes_to_the_registry(world: World) -> None:
    api = world.api
    await a_register(world)
    await world.on(D(2026, 9, 1))
    drawn = ok(await api.post("/v1/follow-up-draws", json=DRAW), 201)
    assert drawn["picked"] == 5
    cases = await changes(world, kind="follow_up")
    assert sorted(c["reaction_id"] for c in cases) == sorted(
        p["reaction_id"] for p in drawn["drawn"]
    )
    assert await changes(world, kind="verification") == []
    assert len(await changes(world, kind="follow_up", state="open")) == 5
    problem(await api.get("/v1/rating-changes", params={"kind": "other"}), 422, "validation")
    first = drawn["drawn"][0]
    case = ok(await api.get(f"/v1/rating-changes/{first['reaction_id']}"))
    shown = ("organization_id", "kind", "rule", "change", "grade", "state")
    assert {k: case[k] for k in shown} == {
        "organization_id": first["organization_id"], "kind": "follow_up",
        "rule": "follow_up_draw", "change": None, "grade": first["grade"], "state": "open",
    }  # fmt: skip
    assert (case["division"], case["raised_on"], case["registry_event_id"]) == (
        "420100", "2026-09-01", None,
    )  # fmt: skip
    assert case["follow_up"] == {"authority": "420100", "year": 2026, "seed": 7, "rank": 1}
    assert "seed 7" in case["fact"] and "420100 for 2026" in case["fact"]

    await world.on(D(2026, 11, 10))
    url = f"/v1/rating-changes/{first['reaction_id']}"
    problem(await api.post(f"{url}/confirmation", json={"reason": "x"}), 409, "wrong-reaction-step")
    same = {"result": "downgraded", "grade": first["grade"], "reason": "not lower"}
    problem(await api.post(f"{url}/closure", json=same), 422, "result-grade-invalid")
    body = {"result": "downgraded", "grade": "3A", "reason": "跟踪评估: 内部治理不达标，降为3A"}
    closed = ok(await api.post(f"{url}/closure", json=body))
    assert (closed["state"], closed["decided_grade"], closed["decided_on"], closed["version"]) == (
        "downgraded", "3A", "2026-11-10", 2,
    )  # fmt: skip
    problem(await api.post(f"{url}/closure", json=body), 409, "rating-change-already-decided")
    second = drawn["drawn"][1]
    kept = {"result": "kept", "reason": "跟踪评估: 维持"}
    ok(await api.post(f"/v1/rating-changes/{second['reaction_id']}/closure", json=kept))

    (record,) = ok(await api.get("/v1/registry-records"))["items"]
    assert record["organization_id"] == first["organization_id"]
    assert {k: record["body"][k] for k in ("grade", "decided_on", "evaluation_id")} == {
        "grade": "3A", "decided_on": "2026-11-10", "evaluation_id": first["reaction_id"],
    }  # fmt: skip
    assert record["body"]["valid_until"] == "2029-11-20"  # the lowered grade's validity
    assert "跟踪评估" in record["body"]["override_reason"]
    again = ok(await api.get("/v1/follow-up-draws/420100/2026"))
    assert [(p["state"], p["decided_grade"]) for p in again["drawn"][:3]] == [
        ("downgraded", "3A"), ("kept", None), ("open", None),
    ]  # fmt: skip


async def four_a_organizations(url: str, n: int, authority: str) -> None:
    """`n` organizations of `authority` holding 4A on the projection the draw reads."""
    rows = [
        {
            "organization_id": f"org-{i:06d}", "name": f"协会{i}", "kind": "social_group",
            "level": "city", "registration_authority": authority, "division": "420106",
            "domicile": "420106001", "registered_on": D(2015, 5, 1),
        }
        for i in range(n)
    ]  # fmt: skip
    grades = [
        {
            "organization_id": f"org-{i:06d}", "seq": i + 1, "decided_on": D(2024, 11, 20),
            "grade": "4A", "regime": "mca_order_39", "valid_from": D(2024, 11, 20),
            "valid_until": D(2029, 11, 19),
        }
        for i in range(n)
    ]  # fmt: skip
    engine = make_async_engine(url)
    async with engine.begin() as conn:
        await insert_rows(conn, organizations, rows)
        await insert_rows(conn, ratings, grades)
    await engine.dispose()


async def test_a_draw_of_5000_among_50000_is_recorded_and_read_back_from_its_cases(
    world: World,
) -> None:
    await four_a_organizations(world.url, 50_000, "420100")
    await world.on(D(2026, 9, 1))
    body = {"authority": "420100", "share": 0.1, "seed": 20260901}
    drawn = ok(await world.api.post("/v1/follow-up-draws", json=body, timeout=120), 201)
    assert (drawn["candidates"], drawn["picked"], len(drawn["drawn"])) == (50_000, 5_000, 5_000)
    read = ok(await world.api.get("/v1/follow-up-draws/420100/2026", timeout=60))
    assert read == drawn
    assert [p["rank"] for p in read["drawn"]] == list(range(1, 5_001))

    store = SqlEventStore(make_async_engine(world.url))
    (event,) = await store.read_stream("follow-ups-420100-2026")
    head = await store.head_position()
    await store.engine.dispose()
    assert len(event.data) == 9 and event.data["picked"] == 5_000  # counts, not the picks
    assert head == event.position + 5_000  # its cases, written with it


async def test_a_draw_recorded_under_schema_1_answers_who_it_drew(world: World) -> None:
    store = SqlEventStore(make_async_engine(world.url))
    day = datetime(2026, 9, 1, tzinfo=SHANGHAI)
    stored = NewEvent("follow_up_drawn", DRAWN_V1, 1, occurred_at=day)
    await store.append("follow-ups-420100-2026", 0, [stored], metadata=EventMetadata(client="t"))
    await store.engine.dispose()
    await world.on(D(2026, 9, 2))
    read = ok(await world.api.get("/v1/follow-up-draws/420100/2026"))
    assert (read["picked"], read["seed"], read["share"]) == (2, 5, 0.5)
    assert read["drawn"] == [
        {"rank": 1, "organization_id": "b", "grade": "5A", "decided_on": "2024-11-20",
         "reaction_id": None, "state": None, "decided_grade": None},
        {"rank": 2, "organization_id": "a", "grade": "4A", "decided_on": "2023-12-05",
         "reaction_id": None, "state": None, "decided_grade": None},
    ]  # fmt: skip
    again = {"authority": "420100", "on": "2026-09-01", "seed": 5}
    assert ok(await world.api.post("/v1/follow-up-draws", json=again), 200) == read
