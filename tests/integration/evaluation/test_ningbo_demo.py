"""`socorg evaluation-demo` at a small scale (SQLite and PostgreSQL): the `ningbo` demo register
imported through the registry's API reaches the evaluation's projection over REGISTRY; the
demo's round takes applications from the city bureau's organizations (the ineligible refused
with their rules), scores, decides, publishes and confirms; the running evaluation's sender
then records every confirmed grade on the registry, once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from services.evaluation.adapters.tables import organizations
from services.evaluation.demo.cli import OPENS_ON, run
from services.evaluation.settings import EvaluationSettings
from services.registry.demo.cli import ndjson
from services.registry.demo.profiles import PROFILES
from shared.db import make_async_engine
from tests.conftest import NatsServer
from tests.integration.evaluation.registry_rig import Rig, ok, rig
from tests.integration.polling import eventually

SMALL = replace(PROFILES["ningbo"].scaled(0.05), urban=0, rural=0)  # legal persons only


@pytest.fixture
async def services(
    registry_and_evaluation: tuple[str, str], nats_server: NatsServer
) -> AsyncIterator[Rig]:
    async with rig(*registry_and_evaluation, nats_server.url) as r:
        yield r


async def projected(url: str) -> int:
    engine = make_async_engine(url)
    try:
        async with engine.connect() as conn:
            return int(
                (await conn.execute(select(func.count()).select_from(organizations))).scalar_one()
            )
    finally:
        await engine.dispose()


async def test_the_demo_round_runs_to_grades_on_the_registry(services: Rig) -> None:
    r = services
    body = b"".join(ndjson(SMALL, seed=1))
    imported = await r.registry.post(
        "/v1/imports", content=body, headers={"Content-Type": "application/x-ndjson"}, timeout=300
    )
    assert imported.status_code == 200, imported.text
    summary = [json.loads(line) for line in imported.text.splitlines() if line][-1]
    assert summary["type"] == "summary" and not summary.get("failed"), summary
    count = await eventually(lambda: projected(r.evaluation_db), lambda n: n == SMALL.total, 300)
    assert count == SMALL.total

    settings = EvaluationSettings(database_url=r.evaluation_db)
    done = await run(settings, "330200", 12, 1, OPENS_ON)
    assert done["applied"] + sum(done["refused_by_rule"].values()) >= 12  # a refusal: 1+ rules
    confirmed = sum(done["confirmed_by_grade"].values())
    assert 1 <= confirmed <= done["applied"], done
    assert set(done["confirmed_by_grade"]) <= {"1A", "2A", "3A", "4A", "5A"}

    shown = ok(await r.evaluation.get(f"/v1/rounds/{done['round_id']}"))
    assert (shown["status"], shown["regime"]) == ("closed", "mca_order_39")
    statuses = [a["status"] for a in shown["applications"]]
    assert statuses.count("confirmed") == confirmed

    async def sent() -> list[dict[str, Any]]:
        page = ok(await r.evaluation.get("/v1/registry-records", params={"state": "sent"}))
        return [x for x in page["items"] if x["recorded_on"] is not None]

    recorded = await eventually(sent, lambda items: len(items) == confirmed, 120)
    assert len(recorded) == confirmed
    for row in recorded:
        history = ok(await r.registry.get(f"/v1/organizations/{row['organization_id']}/history"))
        ratings = [e["data"] for e in history["items"] if e["type"] == "rating_changed"]
        assert [x["evaluation_id"] for x in ratings].count(row["evaluation_id"]) == 1
