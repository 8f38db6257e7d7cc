"""The registry's `ningbo` demo at scale 1, through the import API, JetStream and the metrics
projection, shows Ningbo's published figures exactly (ningbo-reply-to-proposal-333.txt §一,
DOMAIN.md, Policy targets) on the reply's date: the `ningbo` target set's check targets are
all met, and the dashboard's read of the same set says so. PostgreSQL, a real nats-server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from services.registry.demo.profiles import NINGBO
from shared.cli import app
from tests.conftest import NatsServer
from tests.integration.metrics.test_metrics_api import DEV, Rig, served

REPLY_DATE = "2023-06-15"  # 宁波市民政局对市十六届人大三次会议第333号建议的答复
# ningbo-reply-to-proposal-333.txt §一 基本情况, as the target set names them
PUBLISHED = {
    "snapshot-legal-persons": 10224,
    "snapshot-social-groups": 2627,
    "snapshot-service-agencies": 7528,
    "snapshot-foundations": 69,
    "snapshot-city-level": 1039,
    "snapshot-urban-community-orgs": 18003,
    "snapshot-rural-community-orgs": 30844,
    "snapshot-3a-plus": 1293,
    "snapshot-activity-rate": 76,
}
BY_GRADE = {"5A": 257, "4A": 334, "3A": 702}
pytestmark = pytest.mark.postgres


@pytest.fixture
async def services(pg_url: str, nats_server: NatsServer) -> AsyncIterator[Rig]:
    async with served(pg_url, nats_server.url) as rig:
        yield rig


def _demo(url: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["demo", "ningbo", "--scale", "1", "--url", url])
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.output[result.output.index("{") :])
    return summary


async def _value(m: httpx.AsyncClient, name: str, place: str = "330200") -> Any:
    r = await m.get(f"/v1/indicators/{name}", params={"place": place, "as_of": REPLY_DATE})
    assert r.status_code == 200, r.text
    return r.json()["value"]


async def test_the_ningbo_demo_shows_the_published_figures_on_the_reply_date(
    services: Rig,
) -> None:
    summary = await asyncio.to_thread(_demo, services.registry_url)
    assert (summary["created"], summary["failed"]) == (NINGBO.total, 0)
    async with httpx.AsyncClient(base_url=services.metrics_url, headers=DEV, timeout=30) as m:
        # the projection has caught up when the last rows of the file (the ended community
        # organizations) are counted; bounded, then the assertions decide
        for _ in range(2400):
            state = (await m.get("/v1/projections")).json()[0]
            if state["lag"] == 0 and await _value(m, "community_orgs.rural") == 30844:
                break
            await asyncio.sleep(0.25)
        r = await m.post(
            "/v1/reported",
            json={
                "indicator": "reported.community_org_activity_rate",
                "place": "330200",
                "as_of": REPLY_DATE,
                "value": 76,
                "document": "ningbo-reply-to-proposal-333.txt §一 基本情况",
            },
        )
        assert r.status_code == 201, r.text
        page = await m.get("/v1/target-sets/ningbo", params={"as_of": REPLY_DATE})
        assert page.status_code == 200, page.text
        progress = {p["id"]: p for p in page.json()["progress"]}
        assert {i: progress[i]["value"] for i in PUBLISHED} == PUBLISHED
        assert all(progress[i]["status"] == "met" for i in PUBLISHED)
        for grade, n in BY_GRADE.items():
            assert await _value(m, f"grade.{grade}") == n
        # what the dashboard draws: the set with its history, and the place drill-down
        drawn = await m.get(
            "/v1/target-sets/ningbo", params={"as_of": REPLY_DATE, "history": "true"}
        )
        assert drawn.status_code == 200, drawn.text
        last = {p["id"]: p["history"][-1] for p in drawn.json()["progress"]}
        assert {i: last[i]["value"] for i in PUBLISHED} == PUBLISHED
        assert all(last[i]["date"] == REPLY_DATE for i in PUBLISHED)
        drill = await m.get("/v1/dashboard/places/330200", params={"as_of": REPLY_DATE})
        assert drill.status_code == 200, drill.text
        city = drill.json()["place"]
        assert (city["community_orgs_urban"], city["community_orgs_rural"]) == (18003, 30844)
        counties = drill.json()["children"]
        assert sum(c["community_orgs_urban"] for c in counties) == 18003
        assert sum(c["community_orgs_rural"] for c in counties) == 30844
