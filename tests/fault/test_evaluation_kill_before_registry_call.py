"""`kill -9` of the evaluation process after it committed a confirmation (the grade_confirmed
event with its outbox row) and before the registry recorded it → the grade is recorded on the
registry exactly once after the restart: one rating_changed with the evaluation_id.

The registry and the evaluation run as real processes on PostgreSQL. The round is driven up to
its 公示 by an evaluation served in this process on a clock a month back (the real processes
keep the real clock, and the 公示 must be over to confirm). Between the evaluation and the
registry stands a gate that takes the registry call and holds it, either before passing it on
(the registry never saw it) or after (the registry recorded it; its answer is lost). The
evaluation is killed while the call is held, then started again with the registry's own URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from services.evaluation.main import create_app as evaluation_app
from services.evaluation.settings import EvaluationSettings
from shared.clock import FixedClock, ShanghaiClock
from shared.settings import DEV_API_KEY
from tests.conftest import NatsServer, _truncate_all
from tests.integration.evaluation.conftest import evaluation_pg_url  # noqa: F401 - a fixture
from tests.integration.evaluation.registry_rig import ok
from tests.integration.evaluation.test_rounds_api import sheet
from tests.integration.polling import eventually
from tests.integration.registry.builders import code, organization
from tests.integration.servers import ServiceProcess, serve

pytestmark = [pytest.mark.postgres, pytest.mark.fault]
DEV = {"X-API-Key": DEV_API_KEY}


class Gate:
    """Takes the evaluation's call to the registry and holds it, before passing it on or
    (`forward`) after the registry answered."""

    def __init__(self, registry: str, *, forward: bool) -> None:
        self.registry, self.forward = registry, forward
        self.arrived, self.release = asyncio.Event(), asyncio.Event()
        self.answered: int | None = None  # the registry's status, when passed on
        self.app = FastAPI()
        self.app.add_api_route("/{path:path}", self.hold, methods=["PUT"])

    async def hold(self, path: str, request: Request) -> Response:
        if self.forward:
            headers = {**DEV, "content-type": request.headers["content-type"]}
            async with httpx.AsyncClient(timeout=30) as http:  # a loaded machine is slow
                sent = await http.put(
                    f"{self.registry}/{path}", content=await request.body(), headers=headers
                )
            self.answered = sent.status_code
        self.arrived.set()
        await self.release.wait()
        return Response(status_code=503)


@pytest.fixture
def registry(pg_url: str, nats_server: NatsServer, tmp_path: Path) -> Iterator[ServiceProcess]:
    env = {
        "SOCORG_REGISTRY_MODE": "development",
        "SOCORG_REGISTRY_DATABASE_URL": pg_url,
        "SOCORG_REGISTRY_NATS_URL": nats_server.url,
    }
    process = ServiceProcess("registry", env, tmp_path / "registry.log")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def evaluation_db(evaluation_pg_url: str) -> str:  # noqa: F811 - the fixture imported above
    _truncate_all(evaluation_pg_url)
    return evaluation_pg_url


@pytest.fixture
async def reg(registry: ServiceProcess) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=registry.url, headers=DEV, timeout=15) as client:
        yield client


async def registered(reg: httpx.AsyncClient, start: date) -> str:
    """An organization registered in 2020 with every report filed by `start`."""
    body = organization(1, credit_code=code("1", 1), registered_on="2020-05-01")
    oid = str(ok(await reg.post("/v1/organizations", json=body), 201)["id"])
    for year in range(2020, start.year):
        if (filed := date(year + 1, 3, 15)) <= start:
            report = {"year": year, "submitted_on": filed.isoformat()}
            ok(await reg.post(f"/v1/organizations/{oid}/annual-reports", json=report), 201)
    return oid


async def published(settings: EvaluationSettings, start: date, oid: str) -> str:
    """A round of one application from `start`, decided and published the day after."""
    clock = FixedClock(start)
    async with (
        serve(evaluation_app(settings, clock=clock)) as url,
        httpx.AsyncClient(base_url=url, headers=DEV, timeout=15) as ev,
    ):

        async def answer() -> Any:
            return (await ev.get(f"/v1/eligibility/{oid}")).json()

        found = await eventually(answer, lambda b: b.get("eligible") is True)
        assert found.get("eligible") is True, found
        terms = {
            "authority": "420106", "title": "武昌区社会组织等级评估",
            "opens_on": start.isoformat(), "closes_on": start.isoformat(), "assessors": 1,
        }  # fmt: skip
        rid = ok(await ev.post("/v1/rounds", json=terms), 201)["round_id"]
        applied = ok(
            await ev.post(f"/v1/rounds/{rid}/applications", json={"organization_id": oid}), 201
        )
        aid = str(applied["application_id"])
        clock.day = start + timedelta(days=1)
        ok(await ev.post(f"/v1/rounds/{rid}/closure"))
        app = f"/v1/applications/{aid}"
        ok(await ev.post(f"{app}/sheets", json={"assessor": "专家甲", "scores": sheet(0.93)}), 201)
        ok(await ev.post(f"{app}/decision", json={"grade": "4A"}))
        ok(await ev.post(f"{app}/publication"))
    return aid


async def ratings(reg: httpx.AsyncClient, oid: str) -> list[dict[str, Any]]:
    history = ok(await reg.get(f"/v1/organizations/{oid}/history"))
    return [e["data"] for e in history["items"] if e["type"] == "rating_changed"]


@pytest.mark.parametrize("forward", [False, True], ids=["registry-not-called", "answer-lost"])
async def test_kill_9_after_the_confirmation_commits_records_the_grade_once(
    forward: bool,
    registry: ServiceProcess,
    reg: httpx.AsyncClient,
    evaluation_db: str,
    nats_server: NatsServer,
    tmp_path: Path,
) -> None:
    start = ShanghaiClock().today() - timedelta(days=30)
    oid = await registered(reg, start)
    settings = EvaluationSettings(
        database_url=evaluation_db, nats_url=nats_server.url, registry_sender_enabled=False
    )
    aid = await published(settings, start, oid)

    gate = Gate(registry.url, forward=forward)
    env = {
        "SOCORG_EVALUATION_MODE": "development",
        "SOCORG_EVALUATION_DATABASE_URL": evaluation_db,
        "SOCORG_EVALUATION_NATS_URL": nats_server.url,
        "SOCORG_EVALUATION_EXPIRY_SCAN_ENABLED": "false",
        "SOCORG_EVALUATION_REGISTRY_RETRY_INITIAL_SECONDS": "0.2",
        "SOCORG_EVALUATION_REGISTRY_RETRY_LONGEST_SECONDS": "1",
        "SOCORG_EVALUATION_REGISTRY_POLL_SECONDS": "0.2",
    }
    evaluation = ServiceProcess("evaluation", env, tmp_path / "evaluation.log")
    try:
        async with serve(gate.app) as gate_url:
            evaluation.env["SOCORG_EVALUATION_REGISTRY_URL"] = gate_url
            await asyncio.to_thread(evaluation.start)
            async with httpx.AsyncClient(base_url=evaluation.url, headers=DEV) as ev:
                confirmed = ok(await ev.post(f"/v1/applications/{aid}/confirmation"))
            assert confirmed["confirmation"]["evaluation_id"] == aid
            await asyncio.wait_for(gate.arrived.wait(), 30)
            evaluation.kill()  # committed, the registry call held
            gate.release.set()
        assert gate.answered == (200 if forward else None)
        assert len(await ratings(reg, oid)) == (1 if forward else 0)

        evaluation.env["SOCORG_EVALUATION_REGISTRY_URL"] = registry.url
        await asyncio.to_thread(evaluation.start)
        async with httpx.AsyncClient(base_url=evaluation.url, headers=DEV) as ev:

            async def shown() -> Any:
                return ok(await ev.get(f"/v1/applications/{aid}"))

            done = await eventually(shown, lambda a: a["recorded_on"] is not None)
            assert (done["registry_state"], done["status"]) == ("sent", "confirmed"), done
            (rating,) = await ratings(reg, oid)
            assert (rating["evaluation_id"], rating["grade"]) == (aid, "4A")
            (row,) = [
                x
                for x in ok(await ev.get("/v1/registry-records"))["items"]
                if x["evaluation_id"] == aid
            ]
            # Sent again (the registry answers the repeat 200), or, where the registry's
            # rating_changed reached the restarted service first, closed by it unsent.
            sent_again = (200,) if not forward else (200, None)
            assert row["state"] == "sent" and row["last_status"] in sent_again, row
    finally:
        evaluation.stop()
        if evaluation.proc is not None and evaluation.proc.returncode not in (0, None, -9, -15):
            print(evaluation.log_tail())
