"""跟踪评估 draws over the API on SQLite and PostgreSQL: the authority's organizations holding 4A
or 5A on the day are the candidates, a seeded share of them is drawn and recorded as one
follow_up_drawn event (its counts) and a follow_up case per organization drawn, in one
transaction; the same draw asked again changes nothing, another one is refused."""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import date

import httpx
import pytest
from typer.testing import CliRunner

from services.evaluation.domain.follow_up import rank
from shared.cli import app
from shared.clock import FixedClock
from shared.contracts import registry as r
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.http.keys import KeyStore
from tests.integration.evaluation import test_rounds_api
from tests.integration.evaluation.test_rounds_api import D, World, ok, organization, problem

world = test_rounds_api.world  # the evaluation served on a fixed clock (the fixture)
DRAW = {"authority": "420100", "share": 0.5, "seed": 20260901}


def rated(oid: str, grade: str | None, decided_on: date) -> r.RatingChanged:
    return r.RatingChanged(
        organization_id=oid,
        grade=grade,  # type: ignore[arg-type]
        decided_on=decided_on,
        regime="mca_order_39",
        valid_from=decided_on,
        valid_until=date(decided_on.year + 5, decided_on.month, decided_on.day),
    )


async def a_register(world: World) -> None:
    """Five organizations of 420100 holding 4A or 5A on 2026-09-01, and five that do not."""
    for i, grade in enumerate(["4A", "5A", "4A", "5A", "4A"]):
        await world.record(*organization(f"top{i}"), rated(f"top{i}", grade, D(2024, 11, 20)))
    await world.record(*organization("third"), rated("third", "3A", D(2024, 11, 20)))
    await world.record(*organization("expired"), rated("expired", "5A", D(2020, 11, 20)))
    await world.record(
        *organization("cancelled"),
        rated("cancelled", "5A", D(2023, 5, 1)),
        rated("cancelled", None, D(2025, 6, 1)),
    )
    await world.record(
        *organization("ended"),
        rated("ended", "5A", D(2024, 11, 20)),
        r.Deregistered(organization_id="ended", deregistered_on=D(2026, 8, 1), reason="清算"),
    )
    await world.record(
        *organization("district", authority="420106"), rated("district", "5A", D(2024, 11, 20))
    )


async def test_a_seeded_share_of_the_4a_and_above_is_drawn_once_a_year(world: World) -> None:
    api = world.api
    await a_register(world)
    await world.on(D(2026, 9, 1))
    drawn = ok(await api.post("/v1/follow-up-draws", json=DRAW), 201)
    assert {k: drawn[k] for k in ("year", "on", "drawn_on", "seed", "share", "candidates")} == {
        "year": 2026, "on": "2026-09-01", "drawn_on": "2026-09-01", "seed": 20260901,
        "share": 0.5, "candidates": 5,
    }  # fmt: skip
    # ⌈0.5 × 5⌉ = 3, the lowest SHA-256 ranks of "<seed>:<id>", recomputed from the answer
    expected = sorted((f"top{i}" for i in range(5)), key=lambda o: rank(20260901, o))[:3]
    assert [p["organization_id"] for p in drawn["drawn"]] == expected
    assert [(p["rank"], p["state"]) for p in drawn["drawn"]] == [
        (1, "open"),
        (2, "open"),
        (3, "open"),
    ]
    assert (drawn["picked"], drawn["drawn"][0]["decided_on"]) == (3, "2024-11-20")
    assert rank(1, "x") == hashlib.sha256(b"1:x").hexdigest()
    grades = {"top0": "4A", "top1": "5A", "top2": "4A", "top3": "5A", "top4": "4A"}
    assert all(p["grade"] == grades[p["organization_id"]] for p in drawn["drawn"])

    await world.on(D(2026, 10, 15))
    await world.record(*organization("late"), rated("late", "5A", D(2026, 10, 1)))
    again = ok(await api.post("/v1/follow-up-draws", json=DRAW), 200)
    assert again == drawn  # the recorded draw: same seed, nothing written
    assert ok(await api.get("/v1/follow-up-draws/420100/2026")) == drawn
    other = problem(
        await api.post("/v1/follow-up-draws", json={**DRAW, "seed": 1}),
        409,
        "follow-up-drawn-already",
    )
    assert "seed 20260901" in other["detail"]
    problem(
        await api.post("/v1/follow-up-draws", json={**DRAW, "share": 0.2}),
        409,
        "follow-up-drawn-already",
    )
    store = SqlEventStore(make_async_engine(world.url))
    stored = [
        e
        for e in await store.read_all(0)
        if e.type in ("follow_up_drawn", "rating_change_proposed")
    ]
    await store.engine.dispose()
    drawn_event, *cases = stored
    assert (drawn_event.stream_id, drawn_event.division, drawn_event.schema_version) == (
        "follow-ups-420100-2026", "420100", 2,
    )  # fmt: skip
    assert {k: drawn_event.data[k] for k in ("seed", "candidates", "picked")} == {
        "seed": 20260901, "candidates": 5, "picked": 3,
    }  # fmt: skip
    # one transaction: the draw, then its cases in the order of rank, naming it as their cause
    assert [e.position for e in stored] == list(range(drawn_event.position, cases[-1].position + 1))
    assert [e.data["organization_id"] for e in cases] == expected
    assert [e.stream_id for e in cases] == [
        f"rating-changes-{p['reaction_id']}" for p in drawn["drawn"]
    ]
    assert {(e.division, e.version, e.data["kind"]) for e in cases} == {("420100", 1, "follow_up")}
    assert {e.metadata.causation_id for e in cases} == {str(drawn_event.event_id)}
    assert [e.data["follow_up"] for e in cases] == [
        {"authority": "420100", "year": 2026, "seed": 20260901, "rank": i} for i in (1, 2, 3)
    ]


async def test_draws_refused_before_the_revision_in_the_future_or_out_of_range(
    world: World,
) -> None:
    api = world.api
    await world.on(D(2026, 9, 1))
    for body, status, slug in [
        ({**DRAW, "on": "2026-02-28"}, 422, "follow-up-not-in-regime"),
        ({**DRAW, "on": "2026-09-02"}, 422, "date-in-future"),
        ({**DRAW, "share": 0}, 422, "validation"),
        ({**DRAW, "share": 1.5}, 422, "validation"),
        ({**DRAW, "authority": "4201"}, 422, "validation"),
    ]:
        problem(await api.post("/v1/follow-up-draws", json=body), status, slug)
    problem(await api.get("/v1/follow-up-draws/420100/2026"), 404, "follow-up-draw-not-found")
    # no seed named: one is drawn and recorded; a retry of the request (its Idempotency-Key)
    # gets that draw back, a new request without the seed is another draw, refused
    retried = {"Idempotency-Key": "draw-420100-2026"}
    body = {"authority": "420100"}
    drawn = ok(await api.post("/v1/follow-up-draws", json=body, headers=retried), 201)
    assert (drawn["candidates"], drawn["picked"], drawn["drawn"], drawn["share"]) == (0, 0, [], 0.1)
    assert isinstance(drawn["seed"], int)
    assert ok(await api.post("/v1/follow-up-draws", json=body, headers=retried), 201) == drawn
    problem(await api.post("/v1/follow-up-draws", json=body), 409, "follow-up-drawn-already")


async def test_a_draw_needs_manage_and_the_authority_in_the_keys_area(world: World) -> None:
    await world.on(D(2026, 9, 1))
    engine = make_async_engine(world.url)
    keys = KeyStore(engine)
    _, reader = await keys.create(name="武汉市", scopes=["evaluation:read"], place="420100")
    _, district = await keys.create(name="武昌区", scopes=["evaluation:*"], place="420106")
    await engine.dispose()
    as_reader, as_district = {"X-API-Key": reader}, {"X-API-Key": district}
    api = world.api
    problem(
        await api.post("/v1/follow-up-draws", json=DRAW, headers=as_reader), 403, "missing-scope"
    )
    problem(
        await api.post("/v1/follow-up-draws", json=DRAW, headers=as_district),
        403,
        "outside-client-area",
    )
    ok(
        await api.post(
            "/v1/follow-up-draws", json={**DRAW, "authority": "420106"}, headers=as_district
        ),
        201,
    )
    ok(await api.get("/v1/follow-up-draws/420106/2026", headers=as_reader), 200)


def test_the_cli_draws_like_the_api_and_a_second_run_writes_nothing(
    evaluation_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(a_register(World(httpx.AsyncClient(), FixedClock(D(2026, 9, 1)), evaluation_url)))
    monkeypatch.setenv("SOCORG_EVALUATION_DATABASE_URL", evaluation_url)
    runner = CliRunner()
    args = ["follow-up-draw", "--authority", "420100", "--on", "2026-09-01", "--share", "0.5"]
    first = runner.invoke(app, [*args, "--seed", "20260901"])
    assert first.exit_code == 0, first.output
    made = json.loads(first.output)
    assert (made["created"], made["candidates"], made["picked"], len(made["drawn"])) == (
        True, 5, 3, 3,
    )  # fmt: skip
    expected = sorted((f"top{i}" for i in range(5)), key=lambda o: rank(20260901, o))[:3]
    assert [p["organization_id"] for p in made["drawn"]] == expected
    second = runner.invoke(app, [*args, "--seed", "20260901"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.output) == {**made, "created": False}
    other = runner.invoke(app, [*args, "--seed", "1"])
    assert other.exit_code == 1 and "follow-up-drawn-already" in other.output
    bad = runner.invoke(app, [*args, "--seed", "1", "--on", "2026-02-30"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
