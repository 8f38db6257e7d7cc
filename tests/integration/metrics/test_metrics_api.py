"""Registry events over HTTP → JetStream → the metrics projection → the metrics API, on SQLite
and PostgreSQL with a real nats-server: counts at date boundaries, grades in force, people
employed, reported values with corrections, place-scoped keys, CSV, and a rebuild from
sequence 1 while the API serves giving exactly the live numbers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select

from services.metrics.adapters.reported import md as reported_md
from services.metrics.adapters.tables import TABLES
from services.metrics.main import create_app as create_metrics
from services.metrics.settings import MetricsSettings
from services.registry.main import create_app as create_registry
from services.registry.settings import RegistrySettings
from shared.clock import FixedClock
from shared.db import make_async_engine
from shared.http.keys import KeyStore
from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer
from tests.integration.registry.builders import (
    HUANGPI_VILLAGE,
    WUCHANG_COMMUNITY,
    WUCHANG_STREET,
    community_org,
    organization,
)
from tests.integration.registry.conftest import TODAY
from tests.integration.servers import serve

DEV = {"X-API-Key": DEV_API_KEY}
WUCHANG, WUHAN = "420106", "420100"


@dataclass
class Rig:
    registry: httpx.AsyncClient
    metrics: httpx.AsyncClient
    registry_url: str
    metrics_url: str
    database_url: str
    clock: FixedClock  # the registry's today, which a test may move on


@asynccontextmanager
async def served(database_url: str, nats_url: str) -> AsyncIterator[Rig]:
    """The registry and the metrics under uvicorn on one database and nats-server."""
    # The database holds the registry's schema; the metrics' own table is made from its model
    # here (test_migration.py checks the migration makes the same table).
    sync = create_engine(database_url)
    reported_md.create_all(sync)
    sync.dispose()
    clock = FixedClock(TODAY)
    registry = create_registry(
        RegistrySettings(database_url=database_url, nats_url=nats_url), clock=clock
    )
    metrics = create_metrics(MetricsSettings(database_url=database_url, nats_url=nats_url))
    async with (
        serve(registry) as r_url,
        serve(metrics) as m_url,
        httpx.AsyncClient(base_url=r_url, headers=DEV) as r_http,
        httpx.AsyncClient(base_url=m_url, headers=DEV) as m_http,
    ):
        yield Rig(r_http, m_http, r_url, m_url, database_url, clock)


@pytest.fixture
async def rig(database_url: str, nats_server: NatsServer) -> AsyncIterator[Rig]:
    async with served(database_url, nats_server.url) as r:
        yield r


async def value(rig: Rig, name: str, place: str, as_of: str) -> Any:
    r = await rig.metrics.get(f"/v1/indicators/{name}", params={"place": place, "as_of": as_of})
    assert r.status_code == 200, r.text
    return r.json()["value"]


async def settled(rig: Rig, name: str, place: str, as_of: str, want: float) -> None:
    """Wait for the projection to catch up (bounded), then let the assertion decide."""
    for _ in range(600):
        if await value(rig, name, place, as_of) == want:
            return
        await asyncio.sleep(0.05)


async def post(api: httpx.AsyncClient, path: str, body: dict[str, Any], **kw: Any) -> Any:
    r = await api.post(path, json=body, **kw)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def populate(rig: Rig) -> dict[str, str]:
    api = rig.registry
    a = await post(api, "/v1/organizations", organization(1, registered_on="2023-01-10"))
    b = await post(
        api,
        "/v1/organizations",
        organization(
            2, registered_on="2023-03-05", category="科技创新类", name="武昌区人工智能学会"
        ),
    )
    fed = await post(
        api,
        "/v1/organizations",
        organization(
            3,
            registered_on="2023-05-20",
            category="社区社会组织联合会",
            name="积玉桥街道社区社会组织联合会",
        ),
    )
    r = await api.put(
        f"/v1/organizations/{a['id']}/rating",
        json={
            "grade": "4A",
            "decided_on": "2023-06-01",
            "valid_until": "2024-05-31",
            "override_reason": "评估结论有效期一年",
        },
    )
    assert r.status_code == 200, r.text
    await post(
        api,
        f"/v1/organizations/{a['id']}/annual-reports",
        {"year": 2023, "submitted_on": "2024-03-01", "staff_employed": 7},
    )
    await post(
        api,
        f"/v1/organizations/{b['id']}/annual-reports",
        {"year": 2023, "submitted_on": "2024-03-10", "staff_employed": 5},
    )
    await post(
        api,
        f"/v1/organizations/{b['id']}/deregistration",
        {"deregistered_on": "2024-09-30", "reason": "自行解散,清算完毕"},
    )
    await post(
        api,
        f"/v1/organizations/{fed['id']}/registration-revocation",
        {"revoked_on": "2024-11-01", "reason": "连续两年未参加年检"},
    )
    await post(api, "/v1/community-organizations", community_org(1, filed_on="2024-04-01"))
    await post(
        api,
        "/v1/community-organizations",
        community_org(2, filed_on="2024-05-01", community=HUANGPI_VILLAGE),
    )
    await settled(rig, "community_orgs", WUHAN, "2025-01-01", 2)
    return {"a": a["id"], "b": b["id"], "fed": fed["id"]}


async def test_counts_follow_act_dates_at_their_boundaries(rig: Rig) -> None:
    await populate(rig)
    assert await value(rig, "orgs", WUCHANG, "2023-01-09") == 0
    assert await value(rig, "orgs", WUCHANG, "2023-01-10") == 1  # from its registration day
    assert await value(rig, "orgs", WUCHANG, "2023-05-20") == 3
    assert await value(rig, "orgs", WUCHANG, "2024-09-29") == 3
    assert await value(rig, "orgs", WUCHANG, "2024-09-30") == 2  # 注销 that day: no longer
    assert await value(rig, "orgs", "420102", "2024-01-01") == 0  # 江岸区: none there
    # 撤销: in liquidation from the revocation's date, no longer counted as registered.
    assert await value(rig, "orgs.status.in_liquidation", WUCHANG, "2024-10-31") == 0
    assert await value(rig, "orgs.status.in_liquidation", WUCHANG, "2024-11-01") == 1
    assert await value(rig, "orgs", WUCHANG, "2024-10-31") == 2
    assert await value(rig, "orgs", WUCHANG, "2024-11-01") == 1
    assert await value(rig, "orgs.status.active", WUCHANG, "2024-11-01") == 1
    assert await value(rig, "share.category.科技创新类", WUHAN, "2024-01-01") == pytest.approx(
        100 / 3
    )
    # The grade counts from its decision to the last day of its validity.
    assert await value(rig, "grade.4A", WUHAN, "2023-05-31") == 0
    assert await value(rig, "grade.4A", WUHAN, "2023-06-01") == 1
    assert await value(rig, "grade.4A", WUHAN, "2024-05-31") == 1
    assert await value(rig, "grade.4A", WUHAN, "2024-06-01") == 0
    assert await value(rig, "grade3a.share.all", WUHAN, "2024-01-01") == pytest.approx(100 / 3)
    assert await value(rig, "grade3a.share.level.city", WUHAN, "2024-01-01") is None
    # People employed: the latest report of each organization in existence.
    assert await value(rig, "employed", WUHAN, "2024-02-29") == 0
    assert await value(rig, "employed", WUHAN, "2024-03-10") == 12
    assert await value(rig, "employed", WUHAN, "2024-10-01") == 7
    # Community organizations per urban / rural community, denominators from the place file.
    assert await value(rig, "community_orgs.urban", WUHAN, "2024-06-01") == 1
    assert await value(rig, "community_orgs.rural", WUHAN, "2024-06-01") == 1
    assert await value(rig, "per_community.urban", WUCHANG_COMMUNITY, "2024-06-01") == 1
    assert await value(rig, "per_community.urban", WUHAN, "2024-06-01") == pytest.approx(1 / 1516)
    # A federation covers its street, one of Wuhan's 193.
    assert await value(rig, "units.street.社区社会组织联合会", WUHAN, "2023-05-19") == 0
    assert await value(rig, "units.street.社区社会组织联合会", WUCHANG, "2023-05-20") == 1
    assert await value(rig, "coverage.street.社区社会组织联合会", WUHAN, "2024-01-01") == (
        pytest.approx(100 / 193)
    )
    assert await value(rig, "units.street.社区社会组织联合会", WUCHANG_STREET, "2024-01-01") == 1


async def test_target_set_progress_series_and_csv(rig: Rig) -> None:
    await populate(rig)
    r = await rig.metrics.get("/v1/target-sets")
    assert {s["id"] for s in r.json()} >= {"wuhan-three-year", "yaan", "ningbo"}
    r = await rig.metrics.get("/v1/target-sets/wuhan-three-year", params={"as_of": "2024-06-30"})
    assert r.status_code == 200, r.text
    progress = {p["id"]: p for p in r.json()["progress"]}
    tech = progress["tech-innovation-share"]
    assert tech["value"] == pytest.approx(100 / 3) and tech["status"] == "met"
    assert tech["clause"] == "§一(一)1" and tech["aim"] is True
    orgs = progress["community-orgs"]
    assert orgs["value"] == 2 and orgs["gap"] == 37998 and orgs["status"] == "off_track"
    assert orgs["forecast"]["points"] == 13  # June 2023 … June 2024
    assert progress["rural-pairing"]["status"] == "insufficient_history"  # nothing reported

    r = await rig.metrics.get(
        "/v1/indicators/orgs/series",
        params={"place": WUCHANG, "from": "2023-01-01", "to": "2023-04-15"},
    )
    assert [(p["date"], p["value"]) for p in r.json()["points"]] == [
        ("2023-01-31", 1),
        ("2023-02-28", 1),
        ("2023-03-31", 2),
        ("2023-04-15", 2),
    ]
    r = await rig.metrics.get(
        "/v1/target-sets/wuhan-three-year/export.csv", params={"as_of": "2024-06-30"}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,clause,wording")
    assert "到2025年底,全市社区社会组织突破3.8万家" in text
    r = await rig.metrics.get("/v1/target-sets/nowhere")
    assert r.status_code == 404 and r.json()["type"] == "urn:socorg:problem:unknown-target-set"


async def test_reported_values_keep_their_trail_and_keys_see_their_area(rig: Rig) -> None:
    engine = make_async_engine(rig.database_url)
    keys = KeyStore(engine)
    _, yaan_raw = await keys.create(
        name="雅安市民政局", scopes=["metrics:report", "metrics:read"], place="511800"
    )
    _, reader_raw = await keys.create(name="武昌区民政局", scopes=["metrics:read"], place=WUCHANG)
    await engine.dispose()
    body = {
        "indicator": "reported.brand_organizations",
        "place": "511800",
        "as_of": "2024-12-31",
        "value": 6,
        "document": "雅民发〔2025〕3号",
    }
    async with (
        httpx.AsyncClient(base_url=rig.metrics_url, headers={"X-API-Key": yaan_raw}) as yaan,
        httpx.AsyncClient(base_url=rig.metrics_url, headers={"X-API-Key": reader_raw}) as wuchang,
    ):
        first = await post(yaan, "/v1/reported", body)
        assert first["reported_by_name"] == "雅安市民政局"
        fixed = await post(
            yaan,
            "/v1/reported",
            {**body, "value": 8, "corrects": first["id"], "document": "更正通报"},
        )
        r = await yaan.post("/v1/reported", json={**body, "place": "420100"})
        assert r.status_code == 403 and r.json()["type"] == "urn:socorg:problem:place-outside-key"
        r = await yaan.post(
            "/v1/reported", json={**body, "as_of": "2024-06-30", "corrects": first["id"]}
        )
        assert r.status_code == 409
        r = await wuchang.post("/v1/reported", json=body)
        assert r.status_code == 403
        assert await value(rig, "reported.brand_organizations", "511800", "2024-12-30") is None
        assert await value(rig, "reported.brand_organizations", "511800", "2025-01-01") == 8
        trail = (await yaan.get("/v1/reported", params={"indicator": body["indicator"]})).json()
        assert [(t["id"], t["value"], t["corrects"]) for t in trail] == [
            (first["id"], 6, None),
            (fixed["id"], 8, first["id"]),
        ]
        assert (await wuchang.get("/v1/reported")).json() == []  # nothing in its area
        # A key bound to 武昌区 reads inside it, by default there, and not elsewhere.
        r = await wuchang.get("/v1/indicators/orgs", params={"as_of": "2024-01-01"})
        assert r.status_code == 200 and r.json()["place"] == WUCHANG
        r = await wuchang.get("/v1/indicators/orgs", params={"place": WUHAN})
        assert r.status_code == 403 and r.json()["type"] == "urn:socorg:problem:place-outside-key"
        r = await wuchang.get("/v1/target-sets/wuhan-three-year", params={"as_of": "2024-01-01"})
        assert r.status_code == 200 and {p["place"] for p in r.json()["progress"]} == {WUCHANG}


async def snapshot(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return {t.name: sorted(tuple(r) for r in await conn.execute(select(t))) for t in TABLES}
    finally:
        await engine.dispose()


async def test_a_rebuild_from_sequence_one_gives_exactly_the_live_numbers(rig: Rig) -> None:
    await populate(rig)
    days = ("2023-03-31", "2023-06-30", "2024-03-31", "2024-06-30", "2024-12-31")
    names = ("orgs", "employed", "grade3a.share.all", "community_orgs", "per_community.rural")

    async def numbers() -> list[Any]:
        return [await value(rig, n, WUHAN, d) for n in names for d in days]

    live, live_rows = await numbers(), await snapshot(rig.database_url)
    assert live_rows["metrics_org_spans"]
    r = await rig.metrics.post("/v1/projections/metrics_registry/rebuild")
    assert r.status_code == 202, r.text
    during: list[list[Any]] = []
    for _ in range(1200):  # bounded; reads go on while it rebuilds
        during.append(await numbers())
        state = (await rig.metrics.get("/v1/projections")).json()[0]
        if state["last_rebuild"] is not None:
            break
        await asyncio.sleep(0.05)
    assert state["last_rebuild"] == "done"
    assert all(d == live for d in during)
    assert await numbers() == live
    assert await snapshot(rig.database_url) == live_rows


async def test_a_move_and_a_cancelled_grade_change_the_counts_from_their_dates(rig: Rig) -> None:
    api = rig.registry
    a = await post(api, "/v1/organizations", organization(9, registered_on="2023-01-10"))
    r = await api.put(
        f"/v1/organizations/{a['id']}/rating",
        json={
            "grade": "3A",
            "decided_on": "2023-06-01",
            "valid_until": "2028-05-31",
            "override_reason": "a grade the bureau records before two full years",
        },
    )
    assert r.status_code == 200, r.text
    r = await api.put(
        f"/v1/organizations/{a['id']}/rating", json={"grade": None, "decided_on": "2024-03-01"}
    )
    assert r.status_code == 200, r.text
    r = await api.patch(
        f"/v1/organizations/{a['id']}",
        json={"domicile": "420102002", "category": "科技创新类", "changed_on": "2024-07-01"},
        headers={"If-Match": f'"{r.json()["version"]}"'},
    )
    assert r.status_code == 200, r.text
    await settled(rig, "orgs", "420102", "2024-07-01", 1)
    assert await value(rig, "orgs", WUCHANG, "2024-06-30") == 1
    assert await value(rig, "orgs", "420102", "2024-06-30") == 0
    assert await value(rig, "orgs", WUCHANG, "2024-07-01") == 0
    assert await value(rig, "orgs", "420102002", "2024-07-01") == 1
    assert await value(rig, "orgs", WUHAN, "2024-07-01") == 1
    assert await value(rig, "orgs.category.科技创新类", WUHAN, "2024-06-30") == 0
    assert await value(rig, "orgs.category.科技创新类", WUHAN, "2024-07-01") == 1
    assert await value(rig, "grade3a.count", WUHAN, "2024-02-29") == 1
    assert await value(rig, "grade3a.count", WUHAN, "2024-03-01") == 0


async def test_grades_count_from_their_first_day_and_end_with_the_organization(rig: Rig) -> None:
    api = rig.registry
    rated = await post(api, "/v1/organizations", organization(21, registered_on="2019-04-01"))
    url = f"/v1/organizations/{rated['id']}/rating"
    assert (await api.put(url, json={"grade": "4A", "decided_on": "2025-06-01"})).status_code == 200
    revoked = await post(api, "/v1/organizations", organization(22, registered_on="2019-04-01"))
    r = await api.put(
        f"/v1/organizations/{revoked['id']}/rating",
        json={"grade": "3A", "decided_on": "2024-01-10"},
    )
    assert r.status_code == 200, r.text
    await post(
        api,
        f"/v1/organizations/{revoked['id']}/registration-revocation",
        {"revoked_on": "2024-11-01", "reason": "连续两年未参加年检"},
    )
    filed = await post(api, "/v1/community-organizations", community_org(21, filed_on="2024-04-01"))
    await post(
        api,
        f"/v1/community-organizations/{filed['id']}/filing-cancellation",
        {"how": "deregistration", "cancelled_on": "2024-08-01", "reason": "自行解散"},
    )
    # the 2026 revision: announced in 2026, the 5A is in force from 1 January 2027 (DOMAIN.md,
    # Rating); the 4A decided under 39号 stays in force until then
    rig.clock.day = date(2026, 12, 2)
    body = {"grade": "5A", "decided_on": "2026-06-01", "announced_on": "2026-06-15"}
    assert (await api.put(url, json=body)).status_code == 200
    await settled(rig, "grade.5A", WUHAN, "2027-01-01", 1)
    assert await value(rig, "grade.4A", WUHAN, "2026-12-31") == 1
    assert await value(rig, "grade.5A", WUHAN, "2026-12-31") == 0
    assert await value(rig, "grade.4A", WUHAN, "2027-01-01") == 0
    # 撤销 voids the grade from its day, though the organization exists (in liquidation)
    assert await value(rig, "grade.3A", WUHAN, "2024-10-31") == 1
    assert await value(rig, "grade.3A", WUHAN, "2024-11-01") == 0
    # 注销备案 ends a community organization from its day
    assert await value(rig, "community_orgs", WUHAN, "2024-07-31") == 1
    assert await value(rig, "community_orgs", WUHAN, "2024-08-01") == 0
