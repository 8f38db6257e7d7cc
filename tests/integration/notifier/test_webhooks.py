"""Webhooks end to end on SQLite and PostgreSQL: a scan's flags delivered to a real local
receiver, signed per Standard Webhooks (verified with the `standardwebhooks` library), retried
on failure and timeout, disabled by 410, dead-lettered, redelivered on request; the body is the
CloudEvent the relay put on NOTIFIER (a real nats-server)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import insert
from standardwebhooks import Webhook

from services.notifier.adapters.tables import organizations
from services.notifier.domain.zombie import Record, ZombieConfig, first_required_year
from services.notifier.main import create_app
from services.notifier.settings import NotifierSettings
from shared.db import make_async_engine
from shared.http.keys import KeyStore
from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer
from tests.integration.jetstream import wait_for_count
from tests.integration.notifier.webhook_receiver import Receiver
from tests.integration.servers import serve

DEV = {"X-API-Key": DEV_API_KEY}
SCAN_DAY = "2025-06-01"


@dataclass
class World:
    api: httpx.AsyncClient
    base: str
    db: str
    nats: str
    receiver: Receiver
    hooks: str  # the receiver's base URL


@asynccontextmanager
async def served(notifier_url: str, nats_url: str, schedule: str) -> AsyncIterator[World]:
    """The notifier and a receiver served, deliveries retried on `schedule` (no jitter)."""
    receiver = Receiver()
    settings = NotifierSettings(
        database_url=notifier_url,
        nats_url=nats_url,
        scan_enabled=False,
        webhook_schedule=schedule,
        webhook_jitter=0,
        webhook_timeout_seconds=0.5,
        webhook_poll_seconds=0.1,
    )
    async with (
        serve(receiver.app()) as hooks,
        serve(create_app(settings)) as base,
        httpx.AsyncClient(base_url=base, headers=DEV) as api,
    ):
        yield World(api, base, notifier_url, nats_url, receiver, hooks)


@pytest.fixture
async def world(notifier_url: str, nats_server: NatsServer) -> AsyncIterator[World]:
    async with served(notifier_url, nats_server.url, "0,0.3,0.3") as w:
        yield w


async def candidates(db: str, *ids: str, division: str = "420106") -> None:
    """Organizations on the projection that a scan of SCAN_DAY flags (no report since 2019)."""
    registered = date(2019, 4, 1)
    first = first_required_year(Record("social_group", registered), ZombieConfig())
    engine = make_async_engine(db)
    async with engine.begin() as conn:
        for oid in ids:
            await conn.execute(
                insert(organizations).values(
                    organization_id=oid,
                    name=f"协会 {oid}",
                    kind="social_group",
                    division=division,
                    domicile=division + "001",
                    registered_on=registered,
                    registered_year=2019,
                    first_year=first,
                    supervised=False,
                )
            )
    await engine.dispose()


async def subscribe(w: World, name: str, **extra: Any) -> dict[str, Any]:
    body = {"url": f"{w.hooks}/hooks/{name}", "event_types": ["zombie_flagged"]} | extra
    r = await w.api.post("/v1/subscriptions", json=body)
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    assert r.headers["location"] == f"/v1/subscriptions/{created['id']}"
    return created


async def scan(w: World, day: str = SCAN_DAY) -> None:
    r = await w.api.post("/v1/scans", json={"on": day})
    assert r.status_code == 200, r.text


async def until(check: Callable[[], Awaitable[bool]], within: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "not reached in time"
        await asyncio.sleep(0.05)


async def deliveries(w: World, sub: str) -> list[dict[str, Any]]:
    r = await w.api.get(f"/v1/subscriptions/{sub}/deliveries")
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def settled(w: World, sub: str, n: int = 1) -> list[dict[str, Any]]:
    """The subscription's deliveries once `n` of them are no longer pending."""
    found: list[dict[str, Any]] = []

    async def done() -> bool:
        found[:] = await deliveries(w, sub)
        return sum(d["state"] != "pending" for d in found) >= n

    await until(done)
    return found


async def one_delivery(
    w: World, name: str, answers: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Subscribe at /hooks/`name`, whose receiver gives `answers` in turn, then flag one
    organization and scan: the subscription and its delivery once settled."""
    w.receiver.scripts[f"/hooks/{name}"] = answers
    sub = await subscribe(w, name)
    await candidates(w.db, "org-1")
    await scan(w)
    [delivery] = await settled(w, sub["id"])
    return sub, delivery


async def test_a_failing_then_slow_receiver_gets_the_event_once_after_three_attempts(
    world: World,
) -> None:
    w = world
    sub, delivery = await one_delivery(w, "a", ["500", "slow"])
    assert delivery["state"] == "delivered" and delivery["attempts"] == 3
    await asyncio.sleep(1)  # nothing more comes
    got = w.receiver.at("/hooks/a")
    assert len(got) == 3  # the slow one arrived too, but was not answered in time
    ids = {r.headers["webhook-id"] for r in got}
    assert ids == {delivery["event_id"]}
    for r in got:
        envelope = Webhook(sub["secret"]).verify(r.body, r.headers)
        assert envelope["id"] == r.headers["webhook-id"]
        assert envelope["type"] == "socorg.notifier.zombie_flagged"
        assert envelope["data"]["organization_id"] == "org-1"
    log = (await w.api.get(f"/v1/subscriptions/{sub['id']}/attempts")).json()["items"]
    assert [(a["attempt"], a["status"]) for a in log] == [(1, 500), (2, None), (3, 200)]
    assert log[0]["response"] == "answer 500"
    assert "timeout" in log[1]["error"] and log[1]["latency_ms"] >= 400
    assert log[2]["response"] == "answer 200" and log[2]["error"] is None
    detail = (await w.api.get(f"/v1/deliveries/{delivery['id']}")).json()
    assert [a["attempt"] for a in detail["log"]] == [1, 2, 3]
    r = await w.api.post(f"/v1/deliveries/{delivery['id']}/redeliver")
    assert r.status_code == 409 and r.json()["type"] == "urn:socorg:problem:delivery-not-dead"


async def test_a_retry_after_is_honoured_on_the_live_path(
    notifier_url: str, nats_server: NatsServer
) -> None:
    # The schedule would retry 0.2 s after a failure; the receiver asks for 2 s (and the
    # schedule's longest wait, 3 s, lets the ask stand).
    async with served(notifier_url, nats_server.url, "0,0.2,0.2,3") as w:
        sub, delivery = await one_delivery(w, "busy", ["503+2"])
        assert delivery["state"] == "delivered" and delivery["attempts"] == 2
        log = (await w.api.get(f"/v1/subscriptions/{sub['id']}/attempts")).json()["items"]
        assert [a["status"] for a in log] == [503, 200]
        first, second = (datetime.fromisoformat(a["at"]) for a in log)
        answered = first + timedelta(milliseconds=log[0]["latency_ms"])
        assert second - answered >= timedelta(seconds=2)  # spacing, not speed: never sooner


async def test_410_gone_disables_the_subscription(world: World) -> None:
    w = world
    sub, delivery = await one_delivery(w, "gone", ["410"])
    assert delivery["state"] == "dead" and delivery["last_status"] == 410
    read = (await w.api.get(f"/v1/subscriptions/{sub['id']}")).json()
    assert read["active"] is False and "410" in read["disabled_reason"]
    await candidates(w.db, "org-2")
    await scan(w, "2025-06-02")
    await asyncio.sleep(0.5)
    assert len(w.receiver.at("/hooks/gone")) == 1  # a disabled subscription gets nothing
    assert len(await deliveries(w, sub["id"])) == 1


async def test_a_dead_delivery_of_a_disabled_subscription_is_redelivered_once_re_enabled(
    world: World,
) -> None:
    w = world
    sub, delivery = await one_delivery(w, "gone", ["410"])
    r = await w.api.post(f"/v1/deliveries/{delivery['id']}/redeliver")
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"] == "urn:socorg:problem:subscription-disabled"
    assert "410" in r.json()["detail"]
    assert (await w.api.get(f"/v1/deliveries/{delivery['id']}")).json()["state"] == "dead"
    r = await w.api.patch(f"/v1/subscriptions/{sub['id']}", json={"active": True})
    assert r.status_code == 200, r.text
    r = await w.api.post(f"/v1/deliveries/{delivery['id']}/redeliver")
    assert r.status_code == 200 and r.json()["state"] == "pending"
    [again] = await settled(w, sub["id"])
    assert again["state"] == "delivered"
    assert len(w.receiver.at("/hooks/gone")) == 2


async def test_another_key_cannot_read_or_redeliver_a_delivery_it_does_not_own(
    world: World,
) -> None:
    w = world
    _, delivery = await one_delivery(w, "mine", ["500", "500", "500"])
    assert delivery["state"] == "dead"
    engine = make_async_engine(w.db)
    _, other = await KeyStore(engine).create(name="另一系统", scopes=["notifier:subscribe"])
    await engine.dispose()
    async with httpx.AsyncClient(base_url=w.base, headers={"X-API-Key": other}) as stranger:
        for r in (
            await stranger.get(f"/v1/deliveries/{delivery['id']}"),
            await stranger.post(f"/v1/deliveries/{delivery['id']}/redeliver"),
        ):
            assert r.status_code == 404, r.text
            assert r.json()["type"] == "urn:socorg:problem:unknown-delivery"
        assert (await stranger.get("/v1/deliveries")).json()["items"] == []
    assert (await w.api.get(f"/v1/deliveries/{delivery['id']}")).json()["state"] == "dead"
    assert len(w.receiver.at("/hooks/mine")) == 3


async def test_after_the_last_attempt_a_delivery_is_dead_and_can_be_redelivered(
    world: World,
) -> None:
    w = world
    sub, delivery = await one_delivery(w, "dead", ["500", "503+0", "500"])
    assert delivery["state"] == "dead" and delivery["attempts"] == 3
    dead = (await w.api.get("/v1/deliveries")).json()["items"]  # the owner's dead letters
    assert [d["id"] for d in dead] == [delivery["id"]]
    r = await w.api.post(f"/v1/deliveries/{delivery['id']}/redeliver")
    assert r.status_code == 200 and r.json()["state"] == "pending"
    [again] = await settled(w, sub["id"])
    assert again["state"] == "delivered" and again["attempts"] == 4
    assert (await w.api.get("/v1/deliveries")).json()["items"] == []
    got = w.receiver.at("/hooks/dead")
    assert len(got) == 4
    Webhook(sub["secret"]).verify(got[-1].body, got[-1].headers)
    log = (await w.api.get(f"/v1/subscriptions/{sub['id']}/attempts")).json()["items"]
    assert [a["status"] for a in log] == [500, 503, 500, 200]


async def test_the_body_is_the_cloudevent_on_notifier_and_only_wanted_events_come(
    world: World,
) -> None:
    w = world
    wuhan = await subscribe(w, "wuhan", place="420100")
    both = await subscribe(
        w, "all", event_types=["zombie_flagged", "zombie_signal_raised"], description="省平台"
    )
    await candidates(w.db, "org-1", "org-2")
    await candidates(w.db, "org-3", division="330203")
    await scan(w)
    await settled(w, wuhan["id"], 2)
    await settled(w, both["id"], 6)
    published = await wait_for_count(w.nats, "NOTIFIER", 6)
    on_nats = {m["id"]: {k: v for k, v in m.items() if k != "_subject"} for m in published}
    for name, sub, n in (("wuhan", wuhan, 2), ("all", both, 6)):
        got = w.receiver.at(f"/hooks/{name}")
        assert len(got) == n
        for r in got:
            body = Webhook(sub["secret"]).verify(r.body, r.headers)
            assert body == on_nats[r.headers["webhook-id"]]  # the same CloudEvent
    divisions = {json.loads(r.body)["division"] for r in w.receiver.at("/hooks/wuhan")}
    assert divisions == {"420106"}
    types = {json.loads(r.body)["type"] for r in w.receiver.at("/hooks/wuhan")}
    assert types == {"socorg.notifier.zombie_flagged"}


async def test_a_rotated_secret_and_the_old_one_both_sign_during_the_overlap(
    world: World,
) -> None:
    w = world
    sub = await subscribe(w, "rot")
    r = await w.api.patch(f"/v1/subscriptions/{sub['id']}", json={"rotate_secret": True})
    assert r.status_code == 200, r.text
    rotated = r.json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != sub["secret"]
    assert rotated["rotating_until"] is not None
    assert "secret" not in (await w.api.get(f"/v1/subscriptions/{sub['id']}")).json()
    await candidates(w.db, "org-1")
    await scan(w)
    await settled(w, sub["id"])
    [got] = w.receiver.at("/hooks/rot")
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    Webhook(sub["secret"]).verify(got.body, got.headers)
    Webhook(rotated["secret"]).verify(got.body, got.headers)


async def test_subscriptions_are_their_owners_inside_their_area_and_refuse_internal_urls(
    world: World,
) -> None:
    w = world
    engine = make_async_engine(w.db)
    keys = KeyStore(engine)
    _, wuchang = await keys.create(name="武昌区", scopes=["notifier:subscribe"], place="420106")
    _, reader = await keys.create(name="只读", scopes=["notifier:read"])
    _, street = await keys.create(
        name="中南路街道", scopes=["notifier:subscribe"], place="420106001"
    )
    await engine.dispose()
    url = f"{w.hooks}/hooks/x"
    async with (
        httpx.AsyncClient(base_url=w.base, headers={"X-API-Key": wuchang}) as district,
        httpx.AsyncClient(base_url=w.base, headers={"X-API-Key": reader}) as other,
    ):
        r = await district.post(
            "/v1/subscriptions", json={"url": url, "event_types": ["zombie_flagged"]}
        )
        assert r.status_code == 201 and r.json()["place"] == "420106"
        mine = r.json()["id"]
        r = await district.post(
            "/v1/subscriptions",
            json={"url": url, "event_types": ["zombie_flagged"], "place": "330203"},
        )
        assert r.status_code == 403 and r.json()["type"] == "urn:socorg:problem:outside-client-area"
        r = await other.get("/v1/subscriptions")
        assert r.status_code == 403 and r.json()["type"] == "urn:socorg:problem:missing-scope"
        for body in ({}, {"place": "420106"}):  # events are filed by county: it would get none
            r = await w.api.post(
                "/v1/subscriptions",
                json={"url": url, "event_types": ["zombie_flagged"]} | body,
                headers={"X-API-Key": street},
            )
            assert r.status_code == 403, r.text
            assert r.json()["type"] == "urn:socorg:problem:key-area-finer-than-county"
            assert "finer than a county" in r.json()["detail"]
            assert r.headers["content-type"].startswith("application/problem+json")
        assert (await w.api.get(f"/v1/subscriptions/{mine}")).status_code == 404  # not the dev's
        assert [s["id"] for s in (await district.get("/v1/subscriptions")).json()["items"]] == [
            mine
        ]
        for bad in ("http://10.0.0.1/hook", "http://169.254.169.254/latest", "http://[::]:80/"):
            r = await district.post(
                "/v1/subscriptions", json={"url": bad, "event_types": ["zombie_flagged"]}
            )
            assert r.status_code == 422, (bad, r.text)
            assert r.json()["type"] == "urn:socorg:problem:webhook-url-refused"
            assert r.headers["content-type"].startswith("application/problem+json")
        r = await district.post(
            "/v1/subscriptions",
            json={"url": url, "event_types": ["zombie_flagged"], "secret": "whsec_c2hvcnQ="},
        )
        assert r.status_code == 422 and r.json()["type"] == "urn:socorg:problem:bad-webhook-secret"
        assert (await district.delete(f"/v1/subscriptions/{mine}")).status_code == 204
        assert (await district.get(f"/v1/subscriptions/{mine}")).status_code == 404
