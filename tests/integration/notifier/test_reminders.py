"""Reminders end to end on SQLite and PostgreSQL: scans on chosen days raise each reminder once
(a second scan, or a later day, raises nothing again), as events on NOTIFIER, readable by place
at GET /v1/reminders, and delivered to a webhook subscribed to their type; one replica scans at
a time (the scan's lease)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from standardwebhooks import Webhook

from services.notifier.bootstrap import projection
from services.notifier.domain.zombie import ZombieConfig
from shared.contracts import registry as r
from shared.contracts.base import EventData
from shared.db import WRITE, make_async_engine
from shared.http.keys import KeyStore
from shared.outbox.lease import Lease
from shared.tables import events
from tests.integration.notifier import test_webhooks
from tests.integration.notifier.register import delivered
from tests.integration.notifier.test_webhooks import World, settled, subscribe

world = test_webhooks.world  # the notifier served with a webhook receiver (the fixture)

REGISTERED = date(2019, 4, 1)
NONE = {
    "report_due_soon": 0,
    "report_overdue": 0,
    "rating_expiring": 0,
    "rectification_due_soon": 0,
    "rectification_overdue": 0,
}


def organization(org: str, division: str, *, missing: int | None = None) -> list[EventData]:
    """A social group registered in 2019 that reported on every year to 2024 but `missing`."""
    out: list[EventData] = [
        r.OrganizationRegistered(
            organization_id=org,
            credit_code=f"5{abs(hash(org)) % 10**17:017d}",
            name=f"协会 {org}",
            kind="social_group",
            level="county",
            registration_authority=division,
            domicile=division + "001",
            registered_on=REGISTERED,
        )
    ]
    for year in range(2019, 2025):
        if year != missing:
            out.append(
                r.AnnualReportSubmitted(
                    organization_id=org, year=year, submitted_on=date(year + 1, 4, 1)
                )
            )
    return out


async def register(db: str) -> None:
    """org-a misses its 2024 report; org-b's 4A ends 2025-08-01; org-c's 限期整改 is due
    2025-05-20 and not completed; org-d's was completed on 5 May, before it was due."""
    ordered, due = date(2025, 4, 1), date(2025, 5, 20)
    facts: list[tuple[str, EventData]] = []
    for org, division, extra in (
        ("org-a", "420106", []),
        (
            "org-b",
            "420111",
            [
                r.RatingChanged(
                    organization_id="org-b",
                    grade="4A",
                    decided_on=date(2020, 8, 2),
                    valid_until=date(2025, 8, 1),
                )
            ],
        ),
        (
            "org-c",
            "330203",
            [
                r.DisposalOrdered(
                    organization_id="org-c", ordered_on=ordered, due_on=due, reason="x"
                )
            ],
        ),
        (
            "org-d",
            "330203",
            [
                r.DisposalOrdered(
                    organization_id="org-d", ordered_on=ordered, due_on=due, reason="x"
                ),
                r.RectificationCompleted(
                    organization_id="org-d",
                    ordered_on=ordered,
                    completed_on=date(2025, 5, 5),
                ),
            ],
        ),
    ):
        missing = 2024 if org == "org-a" else None
        facts += [(division, e) for e in organization(org, division, missing=missing) + extra]
    consumer = projection(ZombieConfig(), 256 * 1024)
    engine = make_async_engine(db)
    async with engine.execution_options(**WRITE).begin() as conn:  # as the runner writes
        batch = [delivered(e, division, i + 1) for i, (division, e) in enumerate(facts)]
        await consumer.apply_batch(conn, batch, {t.name: t for t in consumer.tables})
    await engine.dispose()


async def scan(w: World, day: str) -> dict[str, int]:
    r = await w.api.post("/v1/scans", json={"on": day})
    assert r.status_code == 200, r.text
    raised: dict[str, int] = r.json()["reminders"]
    return raised


async def reminders(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    r = await client.get("/v1/reminders", params=params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_each_reminder_is_raised_once_and_delivered_to_its_subscribers(world: World) -> None:
    w = world
    overdue = await subscribe(w, "overdue", event_types=["report_overdue"], place="420106")
    elsewhere = await subscribe(w, "elsewhere", event_types=["rating_expiring"], place="330203")
    await register(w.db)

    assert await scan(w, "2025-05-10") == NONE | {
        "report_due_soon": 1,
        "rating_expiring": 1,
        "rectification_due_soon": 1,
    }
    assert await scan(w, "2025-06-01") == NONE | {"report_overdue": 1, "rectification_overdue": 1}
    assert await scan(w, "2025-06-01") == NONE  # the same day again
    assert await scan(w, "2025-06-02") == NONE  # a later day: raised already

    got = {(x["organization_id"], x["reminder"], x["due_on"]) for x in await reminders(w.api)}
    assert got == {
        ("org-a", "report_due_soon", "2025-05-31"),
        ("org-a", "report_overdue", "2025-05-31"),
        ("org-b", "rating_expiring", "2025-08-01"),
        ("org-c", "rectification_due_soon", "2025-05-20"),
        ("org-c", "rectification_overdue", "2025-05-20"),
    }
    [late] = await reminders(w.api, kind="report_overdue")
    assert (late["year"], late["raised_on"], late["name"]) == (2024, "2025-06-01", "协会 org-a")
    assert len(await reminders(w.api, place="420106")) == 2
    assert len(await reminders(w.api, raised_from="2025-06-01")) == 2

    [delivery] = await settled(w, overdue["id"])
    assert delivery["state"] == "delivered" and delivery["event_id"] == late["event_id"]
    [received] = w.receiver.at("/hooks/overdue")
    envelope = Webhook(overdue["secret"]).verify(received.body, received.headers)
    assert envelope["type"] == "socorg.notifier.report_overdue"
    assert envelope["division"] == "420106"
    assert envelope["data"] == {
        "organization_id": "org-a",
        "as_of": "2025-06-01",
        "due_on": "2025-05-31",
        "year": 2024,
    }
    await asyncio.sleep(0.3)
    assert w.receiver.at("/hooks/elsewhere") == []  # org-b's grade is not in 330203
    listed = await w.api.get(f"/v1/subscriptions/{elsewhere['id']}/deliveries")
    assert listed.json()["items"] == []

    engine = make_async_engine(w.db)
    async with engine.connect() as conn:
        q = select(events.c.type, func.count()).where(events.c.stream_id.like("reminder-%"))
        types = dict((await conn.execute(q.group_by(events.c.type))).all())
    await engine.dispose()
    assert types == {
        "report_due_soon": 1,
        "report_overdue": 1,
        "rating_expiring": 1,
        "rectification_due_soon": 1,
        "rectification_overdue": 1,
    }


async def test_a_place_scoped_key_reads_the_reminders_of_its_area_only(world: World) -> None:
    w = world
    await register(w.db)
    await scan(w, "2025-06-01")
    engine = make_async_engine(w.db)
    _, raw = await KeyStore(engine).create(name="海曙区", scopes=["notifier:read"], place="330203")
    await engine.dispose()
    async with httpx.AsyncClient(base_url=w.base, headers={"X-API-Key": raw}) as district:
        mine = await reminders(district)
        assert {(x["organization_id"], x["reminder"]) for x in mine} == {
            ("org-c", "rectification_overdue")
        }
        r = await district.get("/v1/reminders", params={"place": "420106"})
        assert r.status_code == 403
        assert r.json()["type"] == "urn:socorg:problem:outside-client-area"


async def test_a_scan_waits_for_no_one_while_another_replica_holds_the_lease(world: World) -> None:
    w = world
    engine = make_async_engine(w.db)
    other = Lease(engine, "scan:notifier", "another-replica", timedelta(minutes=1))
    try:
        assert await other.try_acquire()
        r = await w.api.post("/v1/scans", json={"on": "2025-06-01"})
        assert r.status_code == 409 and r.json()["type"] == "urn:socorg:problem:scan-running"
        await other.release()
        assert (await w.api.post("/v1/scans", json={"on": "2025-06-01"})).status_code == 200
    finally:
        await engine.dispose()
