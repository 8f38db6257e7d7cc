"""A whole round over the API on SQLite and PostgreSQL: announcement, applications checked on
submission and again at the close, sheets, the committee's decision, 公示, an objection and
its 复核, confirmation; the steps refused out of order; the round as it stood on past days.
The registry's facts are put on the projection directly (test_eligibility_pipeline.py covers
how they get there)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from services.evaluation.adapters.catalogue import load_catalogue
from services.evaluation.adapters.tables import PROJECTION_TABLES
from services.evaluation.consumers.registry import RegistryProjection
from services.evaluation.main import create_app
from services.evaluation.settings import EvaluationSettings
from shared.clock import FixedClock
from shared.contracts import registry as r
from shared.contracts.base import EventData
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.http.keys import KeyStore
from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer
from tests.integration.notifier.register import delivered
from tests.integration.servers import serve

D = date
CODES = ["52420100MJH27161X9", "53100000500021676K"]
FRAMEWORK = load_catalogue().framework("default-v1")


@dataclass
class World:
    api: httpx.AsyncClient
    clock: FixedClock
    url: str
    seq: int = 0

    async def record(self, *events: EventData) -> None:
        """Registry facts on the evaluation's projection, as its consumer would put them."""
        engine = make_async_engine(self.url)
        batch = []
        for e in events:
            self.seq += 1
            batch.append(delivered(e, "420106", self.seq))
        async with engine.begin() as conn:
            await RegistryProjection().apply_batch(
                conn, batch, {t.name: t for t in PROJECTION_TABLES}
            )
        await engine.dispose()

    async def on(self, day: date) -> None:
        self.clock.day = day


@pytest.fixture
async def world(evaluation_url: str, nats_server: NatsServer) -> AsyncIterator[World]:
    clock = FixedClock(D(2026, 5, 25))
    app = create_app(
        EvaluationSettings(
            database_url=evaluation_url,
            nats_url=nats_server.url,
            registry_sender_enabled=False,  # test_registry_records.py sends to a real registry
        ),
        clock=clock,
    )
    async with (
        serve(app) as url,
        httpx.AsyncClient(base_url=url, headers={"X-API-Key": DEV_API_KEY}) as api,
    ):
        yield World(api, clock, evaluation_url)


def organization(
    oid: str, authority: str = "420100", reports: range = range(2020, 2026)
) -> list[EventData]:
    events: list[EventData] = [
        r.OrganizationRegistered(
            organization_id=oid, credit_code=CODES[0], name=f"协会{oid}", kind="social_group",
            level="city", registration_authority=authority, domicile="420106001",
            registered_on=D(2020, 5, 1),
        )
    ]  # fmt: skip
    for year in reports:
        events.append(
            r.AnnualReportSubmitted(organization_id=oid, year=year, submitted_on=D(year + 1, 3, 15))
        )
    return events


async def close_events(url: str) -> list[tuple[str, dict[str, Any]]]:
    """The close's events as stored, in order: one transaction, so one run of positions."""
    store = SqlEventStore(make_async_engine(url))
    stored = await store.read_all(0, limit=1000)
    await store.engine.dispose()
    close = [e for e in stored if e.type in ("application_rechecked", "round_closed")]
    assert [e.position for e in close] == list(range(close[0].position, close[-1].position + 1))
    keep = ("organization_id", "eligible", "admitted", "excluded", "ineligible")
    return [(e.type, {k: v for k, v in e.data.items() if k in keep}) for e in close]


def sheet(fraction: float) -> dict[str, float]:
    return {code: i.max_points * fraction for code, i in FRAMEWORK.indicators.items()}


def problem(resp: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = resp.json()
    assert body["type"] == f"urn:socorg:problem:{slug}", body
    return body


def ok(resp: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body: dict[str, Any] = resp.json()
    return body


ROUND = {
    "authority": "420100", "title": "武汉市2026年度市级社会组织等级评估",
    "opens_on": "2026-06-01", "closes_on": "2026-06-20", "assessors": 2,
}  # fmt: skip


async def test_a_whole_round_from_announcement_to_confirmation(world: World) -> None:
    api = world.api
    for oid in ("clean", "listed", "leaving"):
        await world.record(*organization(oid))
    await world.record(*organization("late", reports=range(2020, 2025)))
    await world.record(*organization("district", authority="420106"))

    rnd = ok(await api.post("/v1/rounds", json=ROUND), 201)
    rid = rnd["round_id"]
    assert (rnd["regime"], rnd["status"], rnd["publicity_days"], rnd["thresholds"]) == (
        "revision_2026", "open", 15, "anqing-2021",
    )  # fmt: skip
    apply = f"/v1/rounds/{rid}/applications"
    problem(
        await api.post(apply, json={"organization_id": "clean"}), 409, "outside-application-window"
    )

    await world.on(D(2026, 6, 10))
    body = {"organization_id": "listed", "simplified_site_visit": True}
    problem(await api.post(apply, json=body), 422, "simplified-visit-not-allowed")
    ids = {}
    for oid in ("clean", "listed", "leaving"):
        ids[oid] = ok(await api.post(apply, json={"organization_id": oid}), 201)["application_id"]
    refused = problem(await api.post(apply, json={"organization_id": "late"}), 422, "ineligible")
    assert refused["reasons"] == ["inspection_missing: no 2025 report"]
    assert refused["rules"] == [{"rule": "inspection_missing", "facts": ["no 2025 report"]}]
    problem(await api.post(apply, json={"organization_id": "district"}), 422, "not-round-authority")
    problem(await api.post(apply, json={"organization_id": "clean"}), 409, "already-applied")
    problem(
        await api.post(apply, json={"organization_id": "nobody"}), 404, "organization-not-found"
    )

    await world.on(D(2026, 6, 12))
    url = f"/v1/applications/{ids['leaving']}"
    ok(await api.post(f"{url}/withdrawal", json={"reason": "机构调整"}))
    listing = r.CreditListed(
        organization_id="listed", list="abnormal", trigger="report_not_filed",
        listed_on=D(2026, 6, 15),
    )  # fmt: skip
    await world.record(listing)

    await world.on(D(2026, 6, 20))
    problem(await api.post(f"/v1/rounds/{rid}/closure"), 409, "round-still-open")
    await world.on(D(2026, 6, 21))
    closed = ok(await api.post(f"/v1/rounds/{rid}/closure"))
    assert (closed["status"], closed["admitted"], closed["excluded"]) == ("closed", 1, 1)
    assert [(i["organization_id"], i["reasons"]) for i in closed["ineligible"]] == [
        (
            "listed",
            [
                "credit_listed: on the abnormal list (活动异常名录) since 2026-06-15 "
                "(report_not_filed)"
            ],
        )
    ]
    problem(await api.post(f"/v1/rounds/{rid}/closure"), 409, "round-closed")
    *rechecks, round_closed = await close_events(world.url)
    assert sorted(rechecks, key=lambda e: str(e[1]["organization_id"])) == [
        ("application_rechecked", {"organization_id": "clean", "eligible": True}),
        ("application_rechecked", {"organization_id": "listed", "eligible": False}),
    ]
    assert round_closed == ("round_closed", {"admitted": 1, "excluded": 1})

    await world.on(D(2026, 6, 25))
    app = f"/v1/applications/{ids['clean']}"
    ok(await api.post(f"{app}/sheets", json={"assessor": "专家甲", "scores": sheet(0.92)}), 201)
    problem(
        await api.post(f"{app}/sheets", json={"assessor": "专家甲", "scores": sheet(0.9)}),
        409,
        "assessor-already-scored",
    )
    bad = {**sheet(0.9), "A1": 31}
    problem(
        await api.post(f"{app}/sheets", json={"assessor": "专家乙", "scores": bad}),
        422,
        "score-out-of-range",
    )
    short = sheet(0.9)
    del short["D3"]
    problem(
        await api.post(f"{app}/sheets", json={"assessor": "专家乙", "scores": short}),
        422,
        "indicator-missing",
    )
    problem(await api.post(f"{app}/decision", json={"grade": "4A"}), 409, "too-few-sheets")
    scored = ok(
        await api.post(f"{app}/sheets", json={"assessor": "专家乙", "scores": sheet(0.96)}), 201
    )
    assert (scored["score"], scored["proposed_grade"]) == (940, "4A")
    problem(
        await api.post(
            f"/v1/applications/{ids['listed']}/sheets", json={"assessor": "x", "scores": sheet(0.9)}
        ),
        409,
        "application-excluded",
    )
    problem(await api.post(f"{url}/decision", json={"grade": "4A"}), 409, "application-withdrawn")

    await world.on(D(2026, 7, 1))
    problem(await api.post(f"{app}/decision", json={"grade": "5A"}), 422, "reason-required")
    decided = ok(await api.post(f"{app}/decision", json={"grade": "4A"}))
    assert (decided["status"], decided["decided_grade"]) == ("decided", "4A")
    problem(await api.post(f"{app}/confirmation"), 409, "not-published")
    await world.on(D(2026, 7, 2))
    shown = ok(await api.post(f"{app}/publication"))
    assert shown["publicity_ends_on"] == "2026-07-16"

    await world.on(D(2026, 7, 10))
    objected = ok(await api.post(f"{app}/objections", json={"grounds": "社会评价计分有误"}), 201)
    (objection,) = objected["objections"]
    assert objection["due_on"] == "2026-07-25"
    await world.on(D(2026, 7, 16))
    problem(await api.post(f"{app}/confirmation"), 409, "publicity-running")
    await world.on(D(2026, 7, 17))
    problem(
        await api.post(f"{app}/objections", json={"grounds": "迟到的异议"}), 409, "publicity-over"
    )
    problem(await api.post(f"{app}/confirmation"), 409, "objection-pending")
    review = f"{app}/objections/{objection['objection_id']}/decision"
    reviewed = ok(await api.post(review, json={"reason": "复核维持原评估等级"}))
    assert reviewed["objections"][0]["decided_by"] == "evaluation_committee"

    confirmed = ok(await api.post(f"{app}/confirmation"))
    assert confirmed["status"] == "confirmed"
    assert confirmed["confirmation"] == {
        "application_id": ids["clean"], "organization_id": "clean", "evaluation_id": ids["clean"],
        "grade": "4A", "decided_on": "2026-07-01", "announced_on": "2026-07-17",
        "regime": "revision_2026", "valid_from": "2027-01-01", "valid_until": "2031-12-31",
    }  # fmt: skip

    now = ok(await api.get(f"/v1/rounds/{rid}"))
    assert {a["organization_id"]: a["status"] for a in now["applications"]} == {
        "clean": "confirmed", "listed": "excluded", "leaving": "withdrawn",
    }  # fmt: skip
    before = ok(await api.get(f"/v1/rounds/{rid}", params={"as_of": "2026-06-11"}))
    assert (before["status"], before["as_of"]) == ("open", "2026-06-11")
    assert {a["organization_id"]: a["status"] for a in before["applications"]} == {
        "clean": "submitted", "listed": "submitted", "leaving": "submitted",
    }  # fmt: skip
    announced = ok(await api.get(f"/v1/rounds/{rid}", params={"as_of": "2026-05-25"}))
    assert announced["applications"] == []
    problem(
        await api.get(f"/v1/rounds/{rid}", params={"as_of": "2026-05-24"}), 404, "round-not-found"
    )
    problem(
        await api.get(f"/v1/rounds/{rid}", params={"as_of": "2026-07-18"}), 422, "date-in-future"
    )
    during = ok(await api.get(f"/v1/applications/{ids['clean']}", params={"as_of": "2026-07-02"}))
    assert (during["status"], during["objections"]) == ("published", [])


async def test_overdue_objections_are_listed_and_keys_are_scoped_by_authority(world: World) -> None:
    api = world.api
    await world.record(*organization("clean"))
    rid = ok(await api.post("/v1/rounds", json={**ROUND, "assessors": 1}), 201)["round_id"]
    await world.on(D(2026, 6, 10))
    aid = ok(
        await api.post(f"/v1/rounds/{rid}/applications", json={"organization_id": "clean"}), 201
    )["application_id"]
    await world.on(D(2026, 6, 21))
    ok(await api.post(f"/v1/rounds/{rid}/closure"))
    app = f"/v1/applications/{aid}"
    ok(await api.post(f"{app}/sheets", json={"assessor": "专家甲", "scores": sheet(0.8)}), 201)
    ok(await api.post(f"{app}/decision", json={"grade": "1A"}))
    ok(await api.post(f"{app}/publication"))
    await world.on(D(2026, 6, 25))
    objection = ok(await api.post(f"{app}/objections", json={"grounds": "异议"}), 201)[
        "objections"
    ][0]
    await world.on(D(2026, 7, 10))
    assert ok(await api.get("/v1/objections/overdue"))["items"] == []  # due on the 10th
    await world.on(D(2026, 7, 11))
    (late,) = ok(await api.get("/v1/objections/overdue"))["items"]
    assert (late["objection_id"], late["due_on"]) == (objection["objection_id"], "2026-07-10")
    review = f"{app}/objections/{objection['objection_id']}/decision"
    problem(await api.post(review, json={"reason": "迟到"}), 409, "review-overdue")

    engine = make_async_engine(world.url)
    keys = KeyStore(engine)
    _, district = await keys.create(name="武昌区民政局", scopes=["evaluation:*"], place="420106")
    _, scorer = await keys.create(
        name="武汉市评估专家库", scopes=["evaluation:score"], place="420100"
    )
    await engine.dispose()
    as_district = {"X-API-Key": district}
    problem(await api.get(f"/v1/rounds/{rid}", headers=as_district), 403, "outside-client-area")
    problem(
        await api.post("/v1/rounds", json=ROUND, headers=as_district), 403, "outside-client-area"
    )
    assert ok(await api.get("/v1/rounds", headers=as_district))["items"] == []
    problem(
        await api.post(f"{app}/decision", json={"grade": "1A"}, headers={"X-API-Key": scorer}),
        403,
        "missing-scope",
    )
