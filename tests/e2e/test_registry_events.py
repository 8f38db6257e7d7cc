"""A client's view: registry writes over HTTP arrive on NATS, on the right subjects, as valid
CloudEvents, in order per organization, exactly once by id (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import nats
import pytest

from services.registry.main import create_app
from services.registry.settings import RegistrySettings
from shared.clock import FixedClock
from shared.outbox.envelope import parse_cloudevent
from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer
from tests.integration.jetstream import wait_for_count
from tests.integration.registry.builders import HUANGPI_VILLAGE, community_org, organization
from tests.integration.registry.conftest import TODAY
from tests.integration.servers import serve

pytestmark = pytest.mark.e2e


@pytest.fixture
async def api(database_url: str, nats_server: NatsServer) -> AsyncIterator[httpx.AsyncClient]:
    settings = RegistrySettings(database_url=database_url, nats_url=nats_server.url)
    app = create_app(settings, clock=FixedClock(TODAY))
    async with (
        serve(app) as url,
        httpx.AsyncClient(base_url=url, headers={"X-API-Key": DEV_API_KEY}) as http,
    ):
        yield http


async def lifecycle(api: httpx.AsyncClient, n: int) -> str:
    """Register, report twice, change the name: four events for one organization."""
    r = await api.post("/v1/organizations", json=organization(n, registered_on="2020-03-01"))
    assert r.status_code == 201, r.text
    org = r.json()
    for year in (2023, 2024):
        body = {"year": year, "submitted_on": f"{year + 1}-03-01", "staff_employed": 3}
        assert (
            await api.post(f"/v1/organizations/{org['id']}/annual-reports", json=body)
        ).is_success
    r = await api.patch(
        f"/v1/organizations/{org['id']}",
        json={"name": f"武昌区软件和信息服务业协会{n}", "changed_on": "2025-03-10"},
        headers={"If-Match": '"3"'},
    )
    assert r.status_code == 200, r.text
    return str(org["id"])


async def test_registry_events_arrive_on_their_subjects_in_order_exactly_once(
    api: httpx.AsyncClient, nats_server: NatsServer
) -> None:
    ids = await asyncio.gather(*(lifecycle(api, n) for n in range(12)))
    r = await api.post(
        "/v1/community-organizations", json=community_org(1, community=HUANGPI_VILLAGE)
    )
    assert r.status_code == 201, r.text
    published = await wait_for_count(nats_server.url, "REGISTRY", 12 * 4 + 1)
    assert len(published) == 49

    feed = (await api.get("/v1/events", params={"limit": 1000})).json()["events"]
    assert [m["id"] for m in published] == [e["id"] for e in feed], "NATS order = store order"
    assert len({m["id"] for m in published}) == 49

    by_org: dict[str, list[int]] = {}
    for m in published:
        producer, name, payload = parse_cloudevent(m)  # a valid envelope with a valid payload
        assert producer == "registry"
        assert m["subject"].endswith(payload.organization_id)
        d = m["division"]
        assert m["_subject"] == f"registry.{d[:2]}.{d[2:4]}.{d[4:]}.{name}"
        by_org.setdefault(m["subject"], []).append(m["streamversion"])
    assert all(v == list(range(1, len(v) + 1)) for v in by_org.values())
    assert sum(len(v) for v in by_org.values()) == 49 and len(ids) == 12
    wuchang = [m for m in published if m["_subject"].startswith("registry.42.01.06.")]
    huangpi = [m for m in published if m["_subject"].startswith("registry.42.01.16.")]
    assert len(wuchang) == 48 and len(huangpi) == 1


async def test_a_subscriber_to_one_district_gets_only_its_events(
    api: httpx.AsyncClient, nats_server: NatsServer
) -> None:
    nc = await nats.connect(nats_server.url)
    got: list[dict[str, object]] = []

    async def on_message(msg: nats.aio.msg.Msg) -> None:
        got.append(json.loads(msg.data))

    await nc.subscribe("registry.42.01.16.>", cb=on_message)
    await lifecycle(api, 0)
    r = await api.post(
        "/v1/community-organizations", json=community_org(2, community=HUANGPI_VILLAGE)
    )
    assert r.status_code == 201
    for _ in range(100):
        if got:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    await nc.close()
    assert [m["type"] for m in got] == ["socorg.registry.community_organization_filed"]
