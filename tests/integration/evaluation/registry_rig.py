"""The registry and the evaluation served together on one nats-server, each with its own
clock, the registry restartable at the same URL; and a round driven to confirmation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from services.evaluation.main import create_app as evaluation_app
from services.evaluation.settings import EvaluationSettings
from services.registry.main import create_app as registry_app
from services.registry.settings import RegistrySettings
from shared.clock import FixedClock
from shared.natsserver import free_port
from shared.settings import DEV_API_KEY
from tests.integration.evaluation.test_rounds_api import sheet
from tests.integration.polling import eventually
from tests.integration.registry.builders import code, organization
from tests.integration.servers import serve

DEV = {"X-API-Key": DEV_API_KEY}
AUTHORITY = "420106"  # the registering bureau of the builders' credit codes


@dataclass
class Rig:
    registry_db: str
    evaluation_db: str
    nats_url: str
    stack: AsyncExitStack
    registry_clock: FixedClock = field(default_factory=lambda: FixedClock(date(2026, 6, 1)))
    evaluation_clock: FixedClock = field(default_factory=lambda: FixedClock(date(2026, 6, 1)))
    port: int = field(default_factory=free_port)
    registry_running: AsyncExitStack | None = None
    reg: httpx.AsyncClient | None = None
    ev: httpx.AsyncClient | None = None
    registry_follows: bool = True  # the registry's clock moves with the evaluation's

    @property
    def registry(self) -> httpx.AsyncClient:
        assert self.reg is not None
        return self.reg

    @property
    def evaluation(self) -> httpx.AsyncClient:
        assert self.ev is not None
        return self.ev

    async def start_registry(self) -> None:
        settings = RegistrySettings(database_url=self.registry_db, nats_url=self.nats_url)
        self.registry_running = AsyncExitStack()
        app = registry_app(settings, clock=self.registry_clock)
        await self.registry_running.enter_async_context(serve(app, self.port))

    async def stop_registry(self) -> None:
        assert self.registry_running is not None
        await self.registry_running.aclose()
        self.registry_running = None

    def on(self, day: date) -> None:
        self.evaluation_clock.day = day
        if self.registry_follows:
            self.registry_clock.day = day


@asynccontextmanager
async def rig(registry_db: str, evaluation_db: str, nats_url: str) -> AsyncIterator[Rig]:
    async with AsyncExitStack() as stack:
        r = Rig(registry_db, evaluation_db, nats_url, stack)
        await r.start_registry()
        settings = EvaluationSettings(
            database_url=evaluation_db,
            nats_url=nats_url,
            registry_url=f"http://127.0.0.1:{r.port}",
            registry_retry_initial_seconds=0.2,
            registry_retry_longest_seconds=1.0,
            registry_poll_seconds=0.2,
        )
        ev_url = await stack.enter_async_context(
            serve(evaluation_app(settings, clock=r.evaluation_clock))
        )
        base = f"http://127.0.0.1:{r.port}"
        r.reg = await stack.enter_async_context(httpx.AsyncClient(base_url=base, headers=DEV))
        r.ev = await stack.enter_async_context(httpx.AsyncClient(base_url=ev_url, headers=DEV))
        try:
            yield r
        finally:
            if r.registry_running is not None:
                await r.stop_registry()


def ok(resp: httpx.Response, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json()


async def eligible_organization(r: Rig, n: int) -> str:
    """An organization registered on the registry in 2020 with every report, once the
    evaluation's projection finds it eligible."""
    body = organization(n, credit_code=code("1", n), registered_on="2020-05-01")
    oid = str(ok(await r.registry.post("/v1/organizations", json=body), 201)["id"])
    for year in range(2020, 2026):
        report = {"year": year, "submitted_on": f"{year + 1}-03-15"}
        ok(await r.registry.post(f"/v1/organizations/{oid}/annual-reports", json=report), 201)

    async def answer() -> Any:
        return (await r.evaluation.get(f"/v1/eligibility/{oid}")).json()

    found = await eventually(answer, lambda b: b.get("eligible") is True)
    assert found.get("eligible") is True, found
    return oid


async def published(r: Rig, oid: str, fraction: float = 0.93) -> str:
    """A round of one application, scored, decided as proposed and published on 2026-06-02
    (公示 until 06-16); the application's id."""
    terms = {
        "authority": AUTHORITY, "title": "武昌区2026年度社会组织等级评估",
        "opens_on": "2026-06-01", "closes_on": "2026-06-01",
    }  # fmt: skip
    rid = ok(await r.evaluation.post("/v1/rounds", json=terms), 201)["round_id"]
    apply = f"/v1/rounds/{rid}/applications"
    aid = str(
        ok(await r.evaluation.post(apply, json={"organization_id": oid}), 201)["application_id"]
    )
    r.on(date(2026, 6, 2))
    ok(await r.evaluation.post(f"/v1/rounds/{rid}/closure"))
    app = f"/v1/applications/{aid}"
    scored = ok(
        await r.evaluation.post(
            f"{app}/sheets", json={"assessor": "专家甲", "scores": sheet(fraction)}
        ),
        201,
    )
    ok(await r.evaluation.post(f"{app}/decision", json={"grade": scored["proposed_grade"]}))
    ok(await r.evaluation.post(f"{app}/publication"))
    return aid


async def ratings_on_registry(r: Rig, oid: str) -> list[dict[str, Any]]:
    """The registry's rating_changed events of the organization, oldest first."""
    history = ok(await r.registry.get(f"/v1/organizations/{oid}/history"))
    return [e["data"] for e in history["items"] if e["type"] == "rating_changed"]
