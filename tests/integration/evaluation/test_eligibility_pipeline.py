"""From the registry's API to the evaluation's: registry events relayed to REGISTRY, projected
by the evaluation's consumer, and eligibility answered from the projection; an investigation
recorded over the evaluation API bars under 39号 and not under the 2026 revision (SQLite and
PostgreSQL, a real nats-server, both services under uvicorn)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from services.evaluation.main import create_app as evaluation_app
from services.evaluation.settings import EvaluationSettings
from services.registry.main import create_app as registry_app
from services.registry.settings import RegistrySettings
from shared.clock import FixedClock
from shared.db import make_async_engine
from shared.http.keys import KeyStore
from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer
from tests.integration.registry.builders import code, community_org, organization
from tests.integration.servers import serve

DEV = {"X-API-Key": DEV_API_KEY}
TODAY = date(2026, 7, 1)  # the revision is in force; 2026-02-01 is still under 39号
UNDER_39 = "2026-02-01"
RATED = "grade_past_four_years"  # a 4A of 2022-01-10 under 39号: its first 4 years are over


@dataclass
class Services:
    registry: httpx.AsyncClient
    evaluation: httpx.AsyncClient
    evaluation_db: str


@pytest.fixture
async def services(
    registry_and_evaluation: tuple[str, str], nats_server: NatsServer
) -> AsyncIterator[Services]:
    registry_db, evaluation_db = registry_and_evaluation
    clock = FixedClock(TODAY)
    reg = registry_app(
        RegistrySettings(database_url=registry_db, nats_url=nats_server.url), clock=clock
    )
    ev = evaluation_app(
        EvaluationSettings(database_url=evaluation_db, nats_url=nats_server.url), clock=clock
    )
    async with (
        serve(reg) as reg_url,
        serve(ev) as ev_url,
        httpx.AsyncClient(base_url=reg_url, headers=DEV) as r,
        httpx.AsyncClient(base_url=ev_url, headers=DEV) as e,
    ):
        yield Services(r, e, evaluation_db)


async def act(api: httpx.AsyncClient, oid: str, path: str, body: dict[str, Any]) -> None:
    method = api.put if path == "rating" else api.post
    r = await method(f"/v1/organizations/{oid}/{path}", json=body)
    assert r.status_code in (200, 201), r.text


async def register(api: httpx.AsyncClient, n: int, registered_on: str) -> str:
    body = organization(n, credit_code=code("1", n), registered_on=registered_on)
    r = await api.post("/v1/organizations", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def report(api: httpx.AsyncClient, oid: str, *years: int) -> None:
    for year in years:
        await act(api, oid, "annual-reports", {"year": year, "submitted_on": f"{year + 1}-03-15"})


async def answered(api: httpx.AsyncClient, oid: str, on: str, within: float = 60) -> Any:
    """The eligibility answer once the projection knows the organization."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        r = await api.get(f"/v1/eligibility/{oid}", params={"on": on})
        if r.status_code != 404 or loop.time() > deadline:
            assert r.status_code == 200, r.text
            return r.json()
        await asyncio.sleep(0.1)


async def until(
    api: httpx.AsyncClient, oid: str, on: str, done: Callable[[Any], bool], within: float = 60
) -> Any:
    """The answer once `done` holds of it (the projection has caught up), or after `within`
    seconds: the test's assertions then say what is wrong."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        body = await answered(api, oid, on, within)
        if done(body) or loop.time() > deadline:
            return body
        await asyncio.sleep(0.1)


def eligible(body: Any) -> bool:
    return bool(body["eligible"])


def failing(body: Any) -> list[str]:
    return [r["rule"] for r in body["rules"] if r["applies"] and not r["passed"]]


async def test_eligibility_is_answered_from_registry_events_under_each_regime(
    services: Services,
) -> None:
    reg, ev = services.registry, services.evaluation
    clean = await register(reg, 1, "2020-05-01")
    await report(reg, clean, *range(2020, 2026))
    body = {"year": 2025, "conclusion": "qualified", "concluded_on": "2026-06-01"}
    await act(reg, clean, "inspections", body)

    faulty = await register(reg, 2, "2020-05-01")
    await report(reg, faulty, *range(2020, 2025))
    penalty = {"penalty": "warning", "decision_number": "武民罚〔2025〕3号"}
    await act(reg, faulty, "penalties", {**penalty, "decided_on": "2025-04-01", "minor": True})
    listing = {"list": "abnormal", "trigger": "report_not_filed", "listed_on": "2026-06-05"}
    await act(reg, faulty, "credit-listings", listing)

    rated = await register(reg, 3, "2019-01-10")
    await report(reg, rated, 2019, 2020)
    await act(reg, rated, "rating", {"grade": "4A", "decided_on": "2022-01-10"})
    await report(reg, rated, *range(2021, 2026))

    r = await reg.post("/v1/community-organizations", json=community_org(4))
    assert r.status_code == 201, r.text
    community = str(r.json()["id"])

    now = await until(ev, clean, TODAY.isoformat(), eligible)
    assert (now["eligible"], now["regime"], now["reasons"]) == (True, "revision_2026", [])
    assert len(now["rules"]) == 13
    before = await answered(ev, clean, UNDER_39)
    assert (before["eligible"], before["regime"]) == (True, "mca_order_39")

    bad = await until(ev, faulty, TODAY.isoformat(), lambda b: "credit_listed" in failing(b))
    assert bad["reasons"] == [
        "inspection_missing: no 2025 report",
        "credit_listed: on the abnormal list (活动异常名录) since 2026-06-05 (report_not_filed)",
    ]
    bad_39 = await answered(ev, faulty, UNDER_39)
    assert failing(bad_39) == ["minor_penalty"]  # not yet listed; 2024 reported

    graded = await until(ev, rated, TODAY.isoformat(), lambda b: failing(b) == [RATED])
    assert failing(graded) == [RATED]
    assert failing(await answered(ev, rated, UNDER_39)) == ["grade_still_valid"]
    assert failing(await answered(ev, rated, "2025-12-01")) == ["grade_still_valid"]

    assert failing(await answered(ev, community, TODAY.isoformat())) == ["community_org"]


async def test_an_investigation_bars_under_order_39_and_not_under_the_revision(
    services: Services,
) -> None:
    reg, ev = services.registry, services.evaluation
    oid = await register(reg, 5, "2020-05-01")
    await report(reg, oid, *range(2020, 2026))
    assert (await until(ev, oid, UNDER_39, eligible))["eligible"]

    body = {"reference": "武公立〔2025〕7号", "opened_on": "2025-12-01"}
    r = await ev.post(f"/v1/organizations/{oid}/investigations", json=body)
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["closed_on"] is None and case["reference"] == body["reference"]

    under_39 = await answered(ev, oid, UNDER_39)
    assert under_39["reasons"] == [
        "under_investigation: 立案调查 武公立〔2025〕7号 opened on 2025-12-01, not closed"
    ]
    assert (await answered(ev, oid, TODAY.isoformat()))["eligible"]

    url = f"/v1/organizations/{oid}/investigations/{case['investigation_id']}/closure"
    r = await ev.post(url, json={"closed_on": "2026-01-15"})
    assert r.status_code == 200 and r.json()["closed_on"] == "2026-01-15", r.text
    assert (await answered(ev, oid, UNDER_39))["eligible"]
    r = await ev.post(url, json={"closed_on": "2026-01-20"})
    assert r.status_code == 409, r.text
    listed = await ev.get(f"/v1/organizations/{oid}/investigations")
    assert [i["closed_on"] for i in listed.json()["items"]] == ["2026-01-15"]


async def test_refusals_are_problems_and_keys_are_scoped_by_place(services: Services) -> None:
    reg, ev = services.registry, services.evaluation
    oid = await register(reg, 6, "2020-05-01")
    await answered(ev, oid, TODAY.isoformat())
    for params, status, slug in (
        ({"on": "2026-13-01"}, 422, "validation"),
        ({"on": "2026-07-02"}, 422, "date-in-future"),
    ):
        r = await ev.get(f"/v1/eligibility/{oid}", params=params)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["type"] == f"urn:socorg:problem:{slug}"
    r = await ev.get("/v1/eligibility/no-such-organization")
    assert r.status_code == 404 and r.json()["type"].endswith("organization-not-found")

    engine = make_async_engine(services.evaluation_db)
    keys = KeyStore(engine)
    _, ningbo = await keys.create(name="海曙区民政局", scopes=["evaluation:*"], place="330203")
    _, reader = await keys.create(name="武昌区民政局", scopes=["evaluation:read"], place="420106")
    await engine.dispose()
    r = await ev.get(f"/v1/eligibility/{oid}", headers={"X-API-Key": ningbo})
    assert r.status_code == 403 and r.json()["type"].endswith("outside-client-area")
    r = await ev.get(f"/v1/eligibility/{oid}", headers={"X-API-Key": reader})
    assert r.status_code == 200, r.text
    body = {"reference": "立案1", "opened_on": "2026-06-01"}
    r = await ev.post(
        f"/v1/organizations/{oid}/investigations", json=body, headers={"X-API-Key": reader}
    )
    assert r.status_code == 403 and r.json()["type"].endswith("missing-scope")
    r = await ev.post(
        f"/v1/organizations/{oid}/investigations", json=body, headers={"X-API-Key": ningbo}
    )
    assert r.status_code == 403 and r.json()["type"].endswith("outside-client-area")
