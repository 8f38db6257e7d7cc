"""From the registry's API to the notifier's: registry events relayed to REGISTRY, projected by
the notifier, a scan on a day, its flags as events on NOTIFIER (subjects by place) and in the
notifier's API; a late report and an end clearing flags at once (SQLite and PostgreSQL, a real
nats-server, both services under uvicorn)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import Row, Select, Table, func, select

from services.notifier.adapters.tables import disposals, organizations, zombie_flags
from services.notifier.main import create_app as notifier_app
from services.notifier.settings import NotifierSettings
from services.registry.main import create_app as registry_app
from services.registry.settings import RegistrySettings
from shared.clock import FixedClock
from shared.db import make_async_engine
from shared.http.keys import KeyStore
from shared.outbox.envelope import parse_cloudevent
from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer
from tests.integration.jetstream import wait_for_count
from tests.integration.polling import eventually
from tests.integration.registry.builders import code, organization
from tests.integration.registry.conftest import TODAY
from tests.integration.servers import serve

DEV = {"X-API-Key": DEV_API_KEY}
HAISHU_STREET = "330203001"


@dataclass
class Services:
    registry: httpx.AsyncClient
    notifier: httpx.AsyncClient
    notifier_url: str
    notifier_base: str
    nats_url: str


@pytest.fixture
async def services(
    paired_urls: tuple[str, str], nats_server: NatsServer
) -> AsyncIterator[Services]:
    registry_db, notifier_db = paired_urls
    reg = registry_app(
        RegistrySettings(database_url=registry_db, nats_url=nats_server.url),
        clock=FixedClock(TODAY),
    )
    note = notifier_app(
        NotifierSettings(database_url=notifier_db, nats_url=nats_server.url, scan_enabled=False)
    )
    async with (
        serve(reg) as reg_url,
        serve(note) as note_url,
        httpx.AsyncClient(base_url=reg_url, headers=DEV) as r,
        httpx.AsyncClient(base_url=note_url, headers=DEV) as n,
    ):
        yield Services(r, n, notifier_db, note_url, nats_server.url)


async def register(api: httpx.AsyncClient, n: int, reports: dict[int, str], **kw: Any) -> str:
    r = await api.post("/v1/organizations", json=organization(n, credit_code=code("1", n), **kw))
    assert r.status_code == 201, r.text
    oid = str(r.json()["id"])
    for year, day in reports.items():
        r = await api.post(
            f"/v1/organizations/{oid}/annual-reports", json={"year": year, "submitted_on": day}
        )
        assert r.status_code == 201, r.text
    return oid


async def first_row(
    url: str, query: Select[Any], done: Callable[[Row[Any] | None], bool], within: float
) -> Any:
    """`query`'s first row once `done` holds of it, or after `within` seconds."""
    engine = make_async_engine(url)

    async def probe() -> Row[Any] | None:
        async with engine.connect() as conn:
            return (await conn.execute(query)).first()

    try:
        return await eventually(probe, done, within)
    finally:
        await engine.dispose()


async def projected(url: str, n: int, table: Table = organizations, within: float = 60) -> None:
    """Once the notifier's projection holds `n` rows of `table` (or after `within` seconds)."""
    q = select(func.count()).select_from(table)
    await first_row(url, q, lambda row: row is not None and row[0] >= n, within)


async def flag_state(
    url: str, org: str, flag: str = "zombie", within: float = 60
) -> tuple[bool, str | None]:
    """The flag's (active, cleared_reason) once it is cleared (or after `within` seconds)."""
    f = zombie_flags.c
    q = select(f.active, f.cleared_reason).where(f.organization_id == org, f.flag == flag)
    row = await first_row(url, q, lambda row: row is not None and not row.active, within)
    return (row.active, row.cleared_reason) if row else (True, None)


async def test_a_scan_flags_candidates_on_notifier_and_registry_facts_clear_them_at_once(
    services: Services,
) -> None:
    reg, note = services.registry, services.notifier
    a = await register(reg, 1, {2020: "2021-03-01", 2021: "2022-03-01"}, registered_on="2020-05-01")
    b = await register(
        reg,
        2,
        {2020: "2021-03-01", 2021: "2022-03-01", 2022: "2023-03-01"},
        registered_on="2020-05-01",
    )
    await register(
        reg, 3, {y: f"{y + 1}-03-01" for y in range(2021, 2025)}, registered_on="2021-01-05"
    )
    d = await register(reg, 4, {}, registered_on="2019-04-01", domicile=HAISHU_STREET)
    r = await reg.post(
        f"/v1/organizations/{a}/disposals",
        json={"ordered_on": "2025-06-05", "due_on": "2025-09-30", "reason": "连续三年未参加年检"},
    )
    assert r.status_code == 201, r.text
    await projected(services.notifier_url, 4)
    await projected(services.notifier_url, 1, disposals)  # the last event written

    r = await note.post("/v1/scans", json={"on": "2025-06-01"})
    assert r.status_code == 200, r.text
    assert r.json() == {
        "on": "2025-06-01",
        "candidates": 3,
        "flagged": 3,
        "cleared": 0,
        "signals_raised": 1,
        "signals_cleared": 0,
        "reminders": {  # A, B and D have not reported on 2024 (its deadline was 31 May)
            "report_due_soon": 0,
            "report_overdue": 3,
            "rating_expiring": 0,
            "rectification_due_soon": 0,
            "rectification_overdue": 0,
        },
        "recorded": True,
        "latest_scan": "2025-06-01",
    }
    again = (await note.post("/v1/scans", json={"on": "2025-06-01"})).json()
    assert (again["flagged"], again["cleared"], again["signals_raised"]) == (0, 0, 0)
    assert sum(again["reminders"].values()) == 0

    published = await wait_for_count(services.nats_url, "NOTIFIER", 7)
    assert len(published) == 7
    subjects = sorted(m["_subject"] for m in published)
    assert subjects == [
        "notifier.33.02.03.report_overdue",
        "notifier.33.02.03.zombie_flagged",
        "notifier.33.02.03.zombie_signal_raised",
        "notifier.42.01.06.report_overdue",
        "notifier.42.01.06.report_overdue",
        "notifier.42.01.06.zombie_flagged",
        "notifier.42.01.06.zombie_flagged",
    ]
    for m in published:
        parse_cloudevent(m)  # a valid envelope and payload by the shared contracts
    flagged_a = next(m for m in published if m["subject"] == f"zombie-{a}")
    assert flagged_a["data"]["missed_years"] == [2022, 2023, 2024]
    assert flagged_a["data"]["candidate_since"] == "2024-06-01"

    page = (await note.get("/v1/zombies", params={"place": "420106"})).json()
    by_id = {c["organization_id"]: c for c in page["items"]}
    assert set(by_id) == {a, b}
    assert [m["year"] for m in by_id[b]["missed"]] == [2023, 2024]
    assert by_id[b]["missed"][1]["deadline"] == "2025-05-31"
    assert by_id[b]["candidate_since"] == "2025-06-01"
    assert (
        by_id[a]["disposal"]["kind"] == "限期整改"
        and by_id[a]["disposal"]["due_on"] == "2025-09-30"
    )
    assert by_id[b]["disposal"] is None

    # A late report of B's last missed year, and D's end: both cleared without another scan.
    r = await reg.post(
        f"/v1/organizations/{b}/annual-reports", json={"year": 2024, "submitted_on": "2025-06-10"}
    )
    assert r.status_code == 201, r.text
    r = await reg.post(
        f"/v1/organizations/{d}/deregistration",
        json={"deregistered_on": "2025-06-12", "reason": "注销"},
    )
    assert r.status_code == 201, r.text
    assert await flag_state(services.notifier_url, b) == (False, "late_report")
    assert await flag_state(services.notifier_url, d) == (False, "ended")
    assert await flag_state(services.notifier_url, d, "no_report_since_registration") == (
        False,
        "ended",
    )
    published = await wait_for_count(services.nats_url, "NOTIFIER", 10)
    cleared = [m for m in published[7:]]
    assert sorted(m["type"].split(".")[-1] for m in cleared) == [
        "zombie_cleared",
        "zombie_cleared",
        "zombie_signal_cleared",
    ]
    assert {m["data"]["reason"] for m in cleared} == {"late_report", "ended"}
    assert all(m.get("causationid") for m in cleared)  # the registry event that cleared it

    page = (await note.get("/v1/zombies")).json()
    assert [c["organization_id"] for c in page["items"]] == [a]
    counts = (await note.get("/v1/zombies/counts")).json()["districts"]
    assert counts == [
        {"division": "330203", "candidates": 0, "rectifying": 0, "activated": 0, "removed": 1},
        {"division": "420106", "candidates": 1, "rectifying": 1, "activated": 1, "removed": 0},
    ]
    # The same day scanned again: on 1 June B and D were candidates still, but their flags
    # were cleared by facts of a later day, which a scan of the 1st does not undo.
    again = (await note.post("/v1/scans", json={"on": "2025-06-01"})).json()
    assert again["candidates"] == 3 and (again["flagged"], again["cleared"]) == (0, 0)
    later = (await note.post("/v1/scans", json={"on": "2025-06-15"})).json()
    assert later["candidates"] == 1 and (later["flagged"], later["cleared"]) == (0, 0)
    assert len(await wait_for_count(services.nats_url, "NOTIFIER", 11, within=1)) == 10


async def test_keys_see_candidates_of_their_area_only(services: Services) -> None:
    reg, note = services.registry, services.notifier
    a = await register(reg, 1, {}, registered_on="2020-05-01")
    d = await register(reg, 4, {}, registered_on="2019-04-01", domicile=HAISHU_STREET)
    await projected(services.notifier_url, 2)
    assert (await note.post("/v1/scans", json={"on": "2025-06-01"})).status_code == 200
    engine = make_async_engine(services.notifier_url)
    keys = KeyStore(engine)
    _, wuchang = await keys.create(
        name="武昌区民政局", scopes=["notifier:read", "notifier:scan"], place="420106"
    )
    _, reader = await keys.create(name="市局", scopes=["notifier:read"])
    await engine.dispose()
    async with (
        httpx.AsyncClient(
            base_url=services.notifier_base, headers={"X-API-Key": wuchang}
        ) as district,
        httpx.AsyncClient(
            base_url=services.notifier_base, headers={"X-API-Key": reader}
        ) as national,
    ):
        mine = (await district.get("/v1/zombies")).json()["items"]
        assert [c["organization_id"] for c in mine] == [a]
        r = await district.get("/v1/zombies", params={"place": "330203"})
        assert r.status_code == 403 and r.json()["type"] == "urn:socorg:problem:outside-client-area"
        assert r.headers["content-type"].startswith("application/problem+json")
        r = await district.post("/v1/scans", json={"on": "2025-06-01"})
        assert r.status_code == 403  # a scan judges every place
        every = (await national.get("/v1/zombies")).json()["items"]
        assert {c["organization_id"] for c in every} == {a, d}
        r = await national.post("/v1/scans", json={"on": "2025-06-01"})
        assert r.status_code == 403 and r.json()["type"] == "urn:socorg:problem:missing-scope"
        r = await national.post("/v1/scans", json={"on": "2025-02-30"})
        assert r.status_code in (403, 422)
