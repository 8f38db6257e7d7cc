"""A round as it stood at the end of past days (SQLite and PostgreSQL): its applications, read
together, each as it stood that day — submitted on different days, one withdrawn, the others
admitted or excluded by the close — the same as each application read alone."""

from __future__ import annotations

from datetime import date

from shared.contracts import registry as r
from tests.integration.evaluation import test_rounds_api
from tests.integration.evaluation.test_rounds_api import ROUND, D, World, ok, organization

world = test_rounds_api.world  # the evaluation served on a fixed clock (the fixture)


async def statuses(world: World, rid: str, day: date) -> dict[str, str]:
    """The round's applications on `day`, and the same read one by one: they must agree."""
    shown = ok(await world.api.get(f"/v1/rounds/{rid}", params={"as_of": day.isoformat()}))
    together = {a["organization_id"]: a["status"] for a in shown["applications"]}
    alone = {}
    for a in shown["applications"]:
        one = ok(
            await world.api.get(
                f"/v1/applications/{a['application_id']}", params={"as_of": day.isoformat()}
            )
        )
        alone[one["organization_id"]] = one["status"]
    assert together == alone
    return together


async def test_a_round_as_of_past_days_shows_each_application_as_it_stood(world: World) -> None:
    api = world.api
    for oid in ("first", "second", "third"):
        await world.record(*organization(oid))
    rid = ok(await api.post("/v1/rounds", json=ROUND), 201)["round_id"]
    apply = f"/v1/rounds/{rid}/applications"
    ids = {}

    async def applies(day: date, oid: str) -> None:
        await world.on(day)
        ids[oid] = ok(await api.post(apply, json={"organization_id": oid}), 201)["application_id"]

    await applies(D(2026, 6, 2), "first")
    await applies(D(2026, 6, 5), "second")
    await world.on(D(2026, 6, 8))
    ok(await api.post(f"/v1/applications/{ids['first']}/withdrawal", json={"reason": "机构调整"}))
    await applies(D(2026, 6, 10), "third")
    listing = r.CreditListed(
        organization_id="third", list="abnormal", trigger="report_not_filed",
        listed_on=D(2026, 6, 15),
    )  # fmt: skip
    await world.record(listing)
    await world.on(D(2026, 6, 21))
    ok(await api.post(f"/v1/rounds/{rid}/closure"))
    await world.on(D(2026, 6, 25))

    assert await statuses(world, rid, D(2026, 6, 1)) == {}
    assert await statuses(world, rid, D(2026, 6, 4)) == {"first": "submitted"}
    assert await statuses(world, rid, D(2026, 6, 7)) == {
        "first": "submitted", "second": "submitted",
    }  # fmt: skip
    assert await statuses(world, rid, D(2026, 6, 9)) == {
        "first": "withdrawn", "second": "submitted",
    }  # fmt: skip
    assert await statuses(world, rid, D(2026, 6, 20)) == {
        "first": "withdrawn", "second": "submitted", "third": "submitted",
    }  # fmt: skip
    assert await statuses(world, rid, D(2026, 6, 21)) == {
        "first": "withdrawn", "second": "admitted", "third": "excluded",
    }  # fmt: skip
    now = ok(await api.get(f"/v1/rounds/{rid}"))
    assert [a["organization_id"] for a in now["applications"]] == ["first", "second", "third"]
