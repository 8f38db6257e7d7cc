"""A confirmed grade lands on the real registry exactly once (SQLite and PostgreSQL, a real
nats-server, both services under uvicorn): one rating_changed with the evaluation_id in the
registry's history, and `recorded_on` once the evaluation sees it on REGISTRY; the registry
stopped during confirmation → recorded once after it returns; a 4xx parked with its problem,
shown, and sent again by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from tests.conftest import NatsServer
from tests.integration.evaluation.registry_rig import (
    Rig,
    eligible_organization,
    ok,
    published,
    ratings_on_registry,
    rig,
)
from tests.integration.polling import eventually

CONFIRMED_ON = date(2026, 6, 17)  # the day after the 公示 of 2026-06-02 ends


@pytest.fixture
async def services(
    registry_and_evaluation: tuple[str, str], nats_server: NatsServer
) -> AsyncIterator[Rig]:
    async with rig(*registry_and_evaluation, nats_server.url) as r:
        yield r


async def application(r: Rig, aid: str) -> Any:
    return ok(await r.evaluation.get(f"/v1/applications/{aid}"))


async def record(r: Rig, aid: str) -> dict[str, Any]:
    (found,) = [x for x in ok(await r.evaluation.get("/v1/registry-records"))["items"]
                if x["evaluation_id"] == aid]  # fmt: skip
    return dict(found)


async def test_a_confirmed_grade_is_recorded_once_and_the_loop_closes(services: Rig) -> None:
    r = services
    oid = await eligible_organization(r, 1)
    aid = await published(r, oid)
    r.on(CONFIRMED_ON)
    confirmed = ok(await r.evaluation.post(f"/v1/applications/{aid}/confirmation"))
    assert confirmed["confirmation"]["grade"] == "4A"

    shown = await eventually(lambda: application(r, aid), lambda a: a["recorded_on"] is not None)
    assert shown["registry_state"] == "sent" and shown["recorded_on"] is not None, shown
    (rating,) = await ratings_on_registry(r, oid)
    assert (rating["evaluation_id"], rating["grade"], rating["decided_on"]) == (
        aid, "4A", "2026-06-02",
    )  # fmt: skip
    assert (rating["valid_from"], rating["valid_until"]) == ("2027-01-01", "2031-12-31")
    sent = await record(r, aid)
    assert (sent["state"], sent["attempts"], sent["last_status"]) == ("sent", 1, 200)
    assert sent["source"] == "grade_confirmed"
    past = ok(await r.evaluation.get(f"/v1/applications/{aid}", params={"as_of": "2026-06-17"}))
    assert past["recorded_on"] is None  # a past state shows the events only

    # the registry's answer to a repeat is a success that changes nothing
    repeat = await r.registry.put(f"/v1/organizations/{oid}/rating", json=sent["body"])
    assert repeat.status_code == 200, repeat.text
    assert len(await ratings_on_registry(r, oid)) == 1


async def test_the_registry_down_during_confirmation_records_once_after_it_returns(
    services: Rig,
) -> None:
    r = services
    oid = await eligible_organization(r, 2)
    aid = await published(r, oid)
    r.on(CONFIRMED_ON)
    await r.stop_registry()
    ok(await r.evaluation.post(f"/v1/applications/{aid}/confirmation"))

    tried = await eventually(lambda: record(r, aid), lambda x: x["attempts"] >= 3)
    assert (tried["state"], tried["last_status"], tried["recorded_on"]) == ("pending", None, None)
    assert tried["last_error"], tried
    assert (await application(r, aid))["registry_state"] == "pending"

    await r.start_registry()
    shown = await eventually(lambda: application(r, aid), lambda a: a["recorded_on"] is not None)
    assert shown["registry_state"] == "sent" and shown["recorded_on"] is not None, shown
    (rating,) = await ratings_on_registry(r, oid)
    assert rating["evaluation_id"] == aid


async def test_a_refusal_is_parked_shown_and_sent_again_by_hand(services: Rig) -> None:
    r = services
    oid = await eligible_organization(r, 3)
    r.registry_follows = False  # the registry's day stays 2026-06-01: the decision is ahead
    aid = await published(r, oid)
    r.on(CONFIRMED_ON)
    ok(await r.evaluation.post(f"/v1/applications/{aid}/confirmation"))

    async def parked() -> list[dict[str, Any]]:
        page = ok(await r.evaluation.get("/v1/registry-records", params={"state": "parked"}))
        return list(page["items"])

    (held,) = await eventually(parked, lambda items: len(items) == 1)
    assert (held["evaluation_id"], held["last_status"], held["attempts"]) == (aid, 422, 1)
    assert held["problem"]["type"] == "urn:socorg:problem:date-in-future"
    assert await ratings_on_registry(r, oid) == []
    assert ok(await r.evaluation.get("/v1/registry-records", params={"state": "pending"}))[
        "items"
    ] == []  # fmt: skip

    not_parked = await r.evaluation.post("/v1/registry-records/nothing-such/retry")
    assert not_parked.status_code == 404
    assert not_parked.json()["type"] == "urn:socorg:problem:registry-record-not-found"
    bad = await r.evaluation.get("/v1/registry-records", params={"state": "lost"})
    assert bad.status_code == 422

    r.registry_clock.day = CONFIRMED_ON  # the cause dealt with
    again = ok(await r.evaluation.post(f"/v1/registry-records/{aid}/retry"))
    assert again["state"] in ("pending", "sent")
    shown = await eventually(lambda: application(r, aid), lambda a: a["recorded_on"] is not None)
    assert shown["registry_state"] == "sent", shown
    assert [x["evaluation_id"] for x in await ratings_on_registry(r, oid)] == [aid]
    twice = await r.evaluation.post(f"/v1/registry-records/{aid}/retry")
    assert twice.status_code == 409
    assert twice.json()["type"] == "urn:socorg:problem:registry-record-not-parked"
