"""The rating pipeline from EVALUATION, on SQLite and PostgreSQL with a real nats-server: the
metrics service started before the evaluation has ever run waits for its stream and says so;
then a round driven through the evaluation's API (three applications: one withdrawn, one
decided 4A and raised to 5A on 复核, confirmed under the 2026 revision, one decided 3A and
lowered to 2A on 复核) gives the pending and in-progress counts on each date, by the
organizations' place on the register; the grade recorded on the registry (rating_changed)
counts once, from 1 January 2027, when the pending count drops to 0; and a rebuild of the
pipeline gives exactly the live rows and numbers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select

from services.metrics.adapters.reported import md as reported_md
from services.metrics.adapters.tables import PIPELINE_TABLES
from services.metrics.main import create_app as create_metrics
from services.metrics.settings import MetricsSettings
from shared.db import make_async_engine
from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer
from tests.integration.evaluation import conftest as evaluation_fixtures
from tests.integration.evaluation.registry_rig import (
    AUTHORITY,
    Rig,
    eligible_organization,
    ok,
    rig,
)
from tests.integration.evaluation.test_rounds_api import sheet
from tests.integration.polling import eventually
from tests.integration.servers import serve

# the evaluation's own database beside the registry's (which the metrics share), same backend
registry_and_evaluation = evaluation_fixtures.registry_and_evaluation
evaluation_pg_url = evaluation_fixtures.evaluation_pg_url
DEV = {"X-API-Key": DEV_API_KEY}
WUHAN, WUCHANG, JIANGAN = "420100", "420106", "420102"
D = date
ROUND = {
    "authority": AUTHORITY, "title": "武昌区2026年度社会组织等级评估",
    "opens_on": "2026-06-01", "closes_on": "2026-06-05", "assessors": 1,
}  # fmt: skip


@dataclass
class World:
    metrics: httpx.AsyncClient
    registry_db: str
    evaluation_db: str
    nats_url: str


@pytest.fixture
async def world(
    registry_and_evaluation: tuple[str, str], nats_server: NatsServer
) -> AsyncIterator[World]:
    """The metrics alone on the registry's database: neither the registry nor the evaluation
    has run, so neither stream exists yet."""
    registry_db, evaluation_db = registry_and_evaluation
    sync = create_engine(registry_db)
    reported_md.create_all(sync)
    sync.dispose()
    app = create_metrics(MetricsSettings(database_url=registry_db, nats_url=nats_server.url))
    async with serve(app) as url, httpx.AsyncClient(base_url=url, headers=DEV) as metrics:
        yield World(metrics, registry_db, evaluation_db, nats_server.url)


async def value(w: World, name: str, as_of: str, place: str = WUHAN) -> Any:
    r = await w.metrics.get(f"/v1/indicators/{name}", params={"place": place, "as_of": as_of})
    assert r.status_code == 200, r.text
    return r.json()["value"]


async def projection(w: World, name: str) -> dict[str, Any]:
    found = ok(await w.metrics.get("/v1/projections"))
    return next(p for p in found if p["name"] == name)


async def settled(w: World, wanted: dict[tuple[str, str], float]) -> None:
    """Wait for the projections to catch up (bounded), then let the assertions decide."""

    async def found() -> list[Any]:
        return [await value(w, name, day) for name, day in wanted]

    await eventually(found, lambda v: v == list(wanted.values()), within=30)


async def test_the_pipeline_waits_for_an_absent_stream_without_failing_the_service(
    world: World,
) -> None:
    waiting = await eventually(
        lambda: projection(world, "metrics_evaluation"), lambda p: p["waiting"] is not None
    )
    assert "stream EVALUATION absent" in waiting["waiting"], waiting
    ready = await world.metrics.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert (
        "metrics_evaluation waiting (stream EVALUATION absent"
        in (ready.json()["checks"]["consumers"]["detail"])
    )
    r = await world.metrics.post("/v1/projections/metrics_evaluation/rebuild")
    assert r.status_code == 409 and r.json()["type"] == "urn:socorg:problem:stream-absent"
    assert await value(world, "rating.pending.3a", "2026-06-30") == 0


async def a_round(r: Rig) -> dict[str, str]:
    """Three organizations of 武昌区 apply; `leaving` withdraws, `raised` is decided 4A and
    raised to 5A on 复核 then confirmed (in force 2027-01-01), `lowered` is decided 3A and
    lowered to 2A on 复核, not confirmed."""
    ev = r.evaluation
    raised, leaving, lowered = [await eligible_organization(r, n) for n in (1, 2, 3)]
    rid = ok(await ev.post("/v1/rounds", json=ROUND), 201)["round_id"]
    r.on(D(2026, 6, 2))
    ids = {
        oid: ok(
            await ev.post(f"/v1/rounds/{rid}/applications", json={"organization_id": oid}), 201
        )["application_id"]
        for oid in (raised, leaving, lowered)
    }
    r.on(D(2026, 6, 3))
    ok(await ev.post(f"/v1/applications/{ids[leaving]}/withdrawal", json={"reason": "机构调整"}))
    r.on(D(2026, 6, 6))
    ok(await ev.post(f"/v1/rounds/{rid}/closure"))
    r.on(D(2026, 6, 8))
    for oid, fraction, grade in ((raised, 0.93, "4A"), (lowered, 0.88, "3A")):
        app = f"/v1/applications/{ids[oid]}"
        body = {"assessor": "专家甲", "scores": sheet(fraction)}
        assert ok(await ev.post(f"{app}/sheets", json=body), 201)["proposed_grade"] == grade
        ok(await ev.post(f"{app}/decision", json={"grade": grade}))
    r.on(D(2026, 6, 9))
    objections = {}
    for oid in (raised, lowered):
        ok(await ev.post(f"/v1/applications/{ids[oid]}/publication"))
    r.on(D(2026, 6, 15))
    for oid in (raised, lowered):
        body = {"grounds": "计分有误"}
        found = ok(await ev.post(f"/v1/applications/{ids[oid]}/objections", json=body), 201)
        objections[oid] = found["objections"][0]["objection_id"]
    r.on(D(2026, 6, 20))
    for oid, grade in ((raised, "5A"), (lowered, "2A")):
        review = {"grade": grade, "reason": "复核: 重新计分"}
        url = f"/v1/applications/{ids[oid]}/objections/{objections[oid]}/decision"
        ok(await ev.post(url, json=review))
    r.on(D(2026, 6, 24))
    ok(await ev.post(f"/v1/applications/{ids[raised]}/confirmation"))
    return {"raised": raised, "leaving": leaving, "lowered": lowered}


async def numbers(w: World) -> list[Any]:
    names = ("rating.pending.3a", "rating.pending.5A", "rating.applications", "grade3a.count")
    days = ("2026-06-07", "2026-06-08", "2026-06-20", "2026-12-31", "2027-01-01")
    return [await value(w, n, d) for n in names for d in days]


async def rows(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return {
                t.name: sorted(tuple(r) for r in await conn.execute(select(t)))
                for t in PIPELINE_TABLES
            }
    finally:
        await engine.dispose()


async def test_the_pipeline_counts_by_date_and_place_and_a_rebuild_gives_the_live_rows(
    world: World,
) -> None:
    w = world
    async with rig(w.registry_db, w.evaluation_db, w.nats_url) as r:
        await a_round(r)
        # the grade recorded on the registry, in force from 1 January 2027 (2026 revision)
        await settled(w, {("grade.5A", "2027-01-01"): 1})
        # the 复核's 5A and, after it, the confirmation: the round's last event
        await settled(
            w, {("rating.pending.5A", "2026-12-31"): 1, ("rating.applications", "2026-06-24"): 1}
        )
    assert (await projection(w, "metrics_evaluation"))["waiting"] is None

    # applications in progress: three submitted, one withdrawn, one confirmed
    assert await value(w, "rating.applications", "2026-06-01") == 0
    assert await value(w, "rating.applications", "2026-06-02") == 3
    assert await value(w, "rating.applications", "2026-06-03") == 2
    assert await value(w, "rating.applications", "2026-06-23") == 2
    assert await value(w, "rating.applications", "2026-06-24") == 1
    # decided 3A or above, not in force: 4A and 3A from the decisions; the 3A lowered to 2A
    # on 复核 leaves the count, the 4A raised to 5A stays in it
    assert await value(w, "rating.pending.3a", "2026-06-07") == 0
    assert await value(w, "rating.pending.3a", "2026-06-08") == 2
    assert await value(w, "rating.pending.4A", "2026-06-19") == 1
    assert await value(w, "rating.pending.3a", "2026-06-20") == 1
    assert await value(w, "rating.pending.2A", "2026-06-20") == 1
    assert await value(w, "rating.pending.5A", "2026-06-20") == 1
    # confirmed on 06-24 under the 2026 revision: pending until its grade takes effect, then
    # counted once, by the grades
    assert await value(w, "rating.pending.5A", "2026-12-31") == 1
    assert await value(w, "grade3a.count", "2026-12-31") == 0
    assert await value(w, "rating.pending.5A", "2027-01-01") == 0
    assert await value(w, "rating.pending.3a", "2027-01-01") == 0
    assert await value(w, "grade3a.count", "2027-01-01") == 1
    assert await value(w, "grade.5A", "2027-01-01") == 1
    # the organizations' place on the register (武昌区), their level (county)
    assert await value(w, "rating.pending.3a", "2026-06-08", WUCHANG) == 2
    assert await value(w, "rating.pending.3a", "2026-06-08", JIANGAN) == 0
    assert await value(w, "rating.pending.3a.level.county", "2026-06-08") == 2
    assert await value(w, "rating.pending.3a.level.city", "2026-06-08") == 0
    series = ok(
        await w.metrics.get(
            "/v1/indicators/rating.pending.3a/series",
            params={"place": WUHAN, "from": "2026-05-01", "to": "2027-01-15"},
        )
    )
    assert [p["value"] for p in series["points"]] == [0, 1, 1, 1, 1, 1, 1, 1, 0]

    # a 3A+ target shows the decisions of its organizations not yet in force, in the API and CSV
    r1 = ok(await w.metrics.get("/v1/target-sets/wuhan-three-year", params={"as_of": "2026-12-31"}))
    progress = {p["id"]: p for p in r1["progress"]}
    assert progress["citywide-3a-share"]["pending"] == 1
    assert progress["city-level-3a-share"]["pending"] == 0  # none registered at city level
    assert progress["community-orgs"]["pending"] is None
    csv = await w.metrics.get(
        "/v1/target-sets/wuhan-three-year/export.csv", params={"as_of": "2026-12-31"}
    )
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",pending")
    assert next(x for x in lines if x.startswith("citywide-3a-share,")).endswith(",1")

    live, live_rows = await numbers(w), await rows(w.registry_db)
    assert live_rows["metrics_rating_pipeline"]
    r2 = await w.metrics.post("/v1/projections/metrics_evaluation/rebuild")
    assert r2.status_code == 202, r2.text
    state = await eventually(
        lambda: projection(w, "metrics_evaluation"), lambda p: p["last_rebuild"] is not None
    )
    assert state["last_rebuild"] == "done"
    assert await numbers(w) == live
    assert await rows(w.registry_db) == live_rows
