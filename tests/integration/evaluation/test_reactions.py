"""Reactions end to end (SQLite and PostgreSQL, the real registry and nats-server): an
imported 不合格 under 39号 reaches the evaluation's projection over REGISTRY and raises a
proposed downgrade; the bureau confirms it and the registry's grade drops one step, once. The
expiry scan on a chosen date records each expired grade once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from tests.conftest import NatsServer
from tests.integration.evaluation.registry_rig import Rig, ok, ratings_on_registry, rig
from tests.integration.polling import eventually
from tests.integration.registry.builders import WUCHANG_STREET, code

ROW = {
    "kind": "social_group", "credit_code": code("1", 40), "name": "武昌区青少年体育协会",
    "level": "county", "domicile": WUCHANG_STREET, "registered_on": "2016-04-12",
    "annual_reports": [
        *({"year": y, "submitted_on": f"{y + 1}-04-30"} for y in range(2016, 2024)),
        {"year": 2024, "submitted_on": "2025-04-30", "conclusion": "不合格",
         "concluded_on": "2025-06-30"},
    ],
    "rating": {"grade": "4A", "decided_on": "2022-12-01", "valid_until": "2027-11-30"},
}  # fmt: skip


@pytest.fixture
async def services(
    registry_and_evaluation: tuple[str, str], nats_server: NatsServer
) -> AsyncIterator[Rig]:
    async with rig(*registry_and_evaluation, nats_server.url) as r:
        yield r


async def changes(r: Rig, **params: str) -> list[dict[str, Any]]:
    return list(ok(await r.evaluation.get("/v1/rating-changes", params=params))["items"])


async def test_an_imported_unqualified_inspection_leads_to_a_confirmed_downgrade(
    services: Rig,
) -> None:
    r = services
    body = json.dumps(ROW, ensure_ascii=False).encode() + b"\n"
    imported = await r.registry.post(
        "/v1/imports", content=body, headers={"Content-Type": "application/x-ndjson"}
    )
    assert imported.status_code == 200, imported.text
    assert '"failed": 0' in imported.text or '"failed":0' in imported.text, imported.text

    (raised,) = await eventually(lambda: changes(r), lambda items: len(items) == 1)
    oid = raised["organization_id"]
    assert (raised["kind"], raised["rule"], raised["state"]) == (
        "proposal", "inspection_unqualified", "open",
    )  # fmt: skip
    assert (raised["grade"], raised["proposed_grade"], raised["raised_on"]) == (
        "4A", "3A", "2025-06-30",
    )  # fmt: skip
    assert raised["registry_event"] == "inspection_concluded" and raised["registry_event_id"]

    url = f"/v1/rating-changes/{raised['reaction_id']}"
    wrong = await r.evaluation.post(f"{url}/closure", json={"result": "kept", "reason": "x"})
    assert wrong.status_code == 409 and wrong.json()["type"].endswith("wrong-reaction-step")
    done = ok(await r.evaluation.post(f"{url}/confirmation", json={"reason": "年检不合格，降级"}))
    assert (done["state"], done["decided_grade"], done["decided_on"]) == (
        "confirmed", "3A", "2026-06-01",
    )  # fmt: skip
    again = await r.evaluation.post(f"{url}/dismissal", json={"reason": "再议"})
    assert again.status_code == 409
    assert again.json()["type"].endswith("rating-change-already-decided")

    async def lowered() -> list[dict[str, Any]]:
        return await ratings_on_registry(r, oid)

    found = await eventually(lowered, lambda items: len(items) == 2)
    assert [(x["grade"], x.get("evaluation_id")) for x in found] == [
        ("4A", None), ("3A", raised["reaction_id"]),
    ]  # fmt: skip
    assert found[1]["valid_until"] == "2027-11-30"
    org = ok(await r.registry.get(f"/v1/organizations/{oid}"))
    assert "3A" in json.dumps(org), org

    async def sent() -> list[dict[str, Any]]:
        page = ok(await r.evaluation.get("/v1/registry-records", params={"state": "sent"}))
        return [x for x in page["items"] if x["recorded_on"] is not None]

    (record,) = await eventually(sent, lambda items: len(items) == 1)
    assert record["evaluation_id"] == raised["reaction_id"]
    assert record["source"] == "rating_change_decided"

    # expiry: the 3A keeps the 4A's validity, to 2027-11-30
    r.on(date(2028, 1, 10))
    scan = "/v1/expiry-scans"
    assert ok(await r.evaluation.post(scan, json={"on": "2027-11-30"}))["expired"] == 0
    assert ok(await r.evaluation.post(scan, json={"on": "2027-12-01"}))["expired"] == 1
    assert ok(await r.evaluation.post(scan, json={"on": "2027-12-01"}))["expired"] == 0
    assert ok(await r.evaluation.post(scan, json={}))["expired"] == 0
    future = await r.evaluation.post(scan, json={"on": "2028-01-11"})
    assert future.status_code == 422 and future.json()["type"].endswith("date-in-future")
