"""The public 公示 board on SQLite and PostgreSQL: a published decision is listed, as JSON and
as Atom, without a key, from its publication day to the last day of its window, and not after;
each organization linked to the registry by its credit code."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import httpx

from tests.integration.evaluation import test_rounds_api
from tests.integration.evaluation.test_rounds_api import (
    CODES,
    ROUND,
    D,
    World,
    ok,
    organization,
    problem,
    sheet,
)

world = test_rounds_api.world  # the evaluation served on a fixed clock (the fixture)
ATOM = "{http://www.w3.org/2005/Atom}"


async def decided_and_published(world: World) -> str:
    api = world.api
    await world.record(*organization("clean"))
    rid = ok(await api.post("/v1/rounds", json={**ROUND, "assessors": 1}), 201)["round_id"]
    await world.on(D(2026, 6, 10))
    aid: str = ok(
        await api.post(f"/v1/rounds/{rid}/applications", json={"organization_id": "clean"}), 201
    )["application_id"]
    await world.on(D(2026, 6, 21))
    ok(await api.post(f"/v1/rounds/{rid}/closure"))
    app = f"/v1/applications/{aid}"
    ok(await api.post(f"{app}/sheets", json={"assessor": "专家甲", "scores": sheet(0.93)}), 201)
    ok(await api.post(f"{app}/decision", json={"grade": "5A", "reason": "社会评价突出"}))
    return aid


async def test_a_decision_is_public_during_its_window_and_not_after(world: World) -> None:
    aid = await decided_and_published(world)
    public = httpx.AsyncClient(base_url=str(world.api.base_url))  # no key: a public board
    board = "/v1/publicity/420100"
    assert ok(await public.get(board))["items"] == []  # decided, not yet published
    ok(await world.api.post(f"/v1/applications/{aid}/publication"))

    await world.on(D(2026, 7, 5))
    page = ok(await public.get(board))
    assert page["on"] == "2026-07-05"
    (notice,) = page["items"]
    assert {k: notice[k] for k in ("application_id", "name", "credit_code")} == {
        "application_id": aid, "name": "协会clean", "credit_code": CODES[0],
    }  # fmt: skip
    assert (notice["proposed_grade"], notice["decided_grade"]) == ("4A", "5A")
    assert (notice["published_on"], notice["ends_on"]) == ("2026-06-21", "2026-07-05")
    assert notice["registry_url"] == (
        f"http://127.0.0.1:8001/v1/organizations/by-credit-code/{CODES[0]}"
    )
    assert ok(await public.get("/v1/publicity/420106"))["items"] == []  # another authority

    feed = await public.get(f"{board}/atom")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    assert root.tag == f"{ATOM}feed"
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == f"urn:socorg:evaluation:application:{aid}"
    assert entry.findtext(f"{ATOM}title") == "协会clean: 5A"
    assert entry.find(f"{ATOM}link").get("href") == notice["registry_url"]  # type: ignore[union-attr]
    assert "公示期 2026-06-21 至 2026-07-05" in (entry.findtext(f"{ATOM}summary") or "")

    await world.on(D(2026, 7, 6))
    assert ok(await public.get(board))["items"] == []
    root = ET.fromstring((await public.get(f"{board}/atom")).content)
    assert root.findall(f"{ATOM}entry") == []
    past = ok(await public.get(board, params={"on": "2026-06-21"}))
    assert [n["application_id"] for n in past["items"]] == [aid]
    problem(await public.get(board, params={"on": "2026-07-07"}), 422, "date-in-future")
    problem(await public.get("/v1/publicity/4201"), 422, "validation")
    await public.aclose()
