"""The notifier killed (`kill -9`) with webhook deliveries pending: after a restart each event
is delivered, and answered 2xx, exactly once (PostgreSQL, a real nats-server and receiver)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest
from standardwebhooks import Webhook

from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer, _truncate_all
from tests.integration.notifier.conftest import notifier_pg_url  # noqa: F401 - the fixture
from tests.integration.notifier.test_webhooks import candidates, until
from tests.integration.notifier.webhook_receiver import Receiver
from tests.integration.servers import ServiceProcess, serve

pytestmark = [pytest.mark.postgres, pytest.mark.fault]
DEV = {"X-API-Key": DEV_API_KEY}
ORGANIZATIONS = 20


async def test_pending_deliveries_are_delivered_once_after_the_notifier_is_killed(
    notifier_pg_url: str,  # noqa: F811
    nats_server: NatsServer,
    tmp_path: Path,
) -> None:
    _truncate_all(notifier_pg_url)
    env = {
        "SOCORG_NOTIFIER_MODE": "development",
        "SOCORG_NOTIFIER_DATABASE_URL": notifier_pg_url,
        "SOCORG_NOTIFIER_NATS_URL": nats_server.url,
        "SOCORG_NOTIFIER_SCAN_ENABLED": "false",
        "SOCORG_NOTIFIER_WEBHOOK_SCHEDULE": ",".join(["0"] + ["0.3"] * 200),
        "SOCORG_NOTIFIER_WEBHOOK_JITTER": "0",
        "SOCORG_NOTIFIER_WEBHOOK_POLL_SECONDS": "0.1",
    }
    notifier = ServiceProcess("notifier", env, tmp_path / "notifier.log")
    receiver = Receiver()
    receiver.scripts["/hooks/k"] = ["500"] * 100_000  # failing until the restart
    notifier.start()
    try:
        async with (
            serve(receiver.app()) as hooks,
            httpx.AsyncClient(base_url=notifier.url, headers=DEV, timeout=15) as api,
        ):
            r = await api.post(
                "/v1/subscriptions",
                json={"url": f"{hooks}/hooks/k", "event_types": ["zombie_flagged"]},
            )
            assert r.status_code == 201, r.text
            sub = r.json()
            await candidates(notifier_pg_url, *(f"org-{i}" for i in range(ORGANIZATIONS)))
            assert (await api.post("/v1/scans", json={"on": "2025-06-01"})).status_code == 200

            async def all_tried() -> bool:  # every delivery tried, and failed, at least once
                return len({x.headers["webhook-id"] for x in receiver.received}) == ORGANIZATIONS

            await until(all_tried)
            await asyncio.to_thread(notifier.kill)
            receiver.scripts["/hooks/k"].clear()  # the receiver recovers meanwhile
            await asyncio.to_thread(notifier.start)

            async def delivered() -> int:
                r = await api.get(
                    f"/v1/subscriptions/{sub['id']}/deliveries", params={"state": "delivered"}
                )
                return len(r.json()["items"])

            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60  # the killed holder's lease expires in 10 s
            while await delivered() < ORGANIZATIONS:
                assert loop.time() < deadline, notifier.log_tail()
                await asyncio.sleep(0.2)
            await asyncio.sleep(1)  # nothing more comes
            ok = [x for x in receiver.received if x.answer == "200"]
            per_event = Counter(x.headers["webhook-id"] for x in ok)
            assert len(per_event) == ORGANIZATIONS and set(per_event.values()) == {1}
            for x in ok:
                Webhook(sub["secret"]).verify(x.body, x.headers)
    finally:
        notifier.stop()
