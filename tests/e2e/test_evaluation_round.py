"""A whole grading round as the bureaus' systems see it (SQLite and PostgreSQL): the registry and
the evaluation served over HTTP on one nats-server; a round announced, three organizations
apply, one withdraws, one is penalised on the registry and excluded at the close, the third is
scored, decided, published, objected to, reviewed and confirmed; its grade then arrives on
REGISTRY as one rating_changed, and the round's every step on EVALUATION, in order. Then the
bureau's 跟踪评估 draws it and closes its follow_up case with a downgrade: one more
rating_changed on REGISTRY."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from tests.conftest import NatsServer
from tests.integration.evaluation import conftest as evaluation_fixtures
from tests.integration.evaluation.registry_rig import (
    AUTHORITY,
    Rig,
    eligible_organization,
    ok,
    rig,
)
from tests.integration.evaluation.test_rounds_api import sheet
from tests.integration.jetstream import stream_messages
from tests.integration.polling import eventually

pytestmark = pytest.mark.e2e
# the evaluation's own database beside the registry's, on the same backend (the fixtures)
registry_and_evaluation = evaluation_fixtures.registry_and_evaluation
evaluation_pg_url = evaluation_fixtures.evaluation_pg_url
D = date
ROUND = {
    "authority": AUTHORITY, "title": "武昌区2026年度社会组织等级评估",
    "opens_on": "2026-06-01", "closes_on": "2026-06-05", "assessors": 2,
}  # fmt: skip


@pytest.fixture
async def services(
    registry_and_evaluation: tuple[str, str], nats_server: NatsServer
) -> AsyncIterator[Rig]:
    async with rig(*registry_and_evaluation, nats_server.url) as r:
        yield r


async def on_stream(nats_url: str, stream: str, kind: str) -> list[dict[str, Any]]:
    return [m for m in await stream_messages(nats_url, stream) if m["type"].endswith(f".{kind}")]


async def test_a_round_from_announcement_to_rating_changed_on_registry(
    services: Rig, nats_server: NatsServer
) -> None:
    r, ev = services, services.evaluation
    graded, leaving, fined = [await eligible_organization(r, n) for n in (1, 2, 3)]
    rid = ok(await ev.post("/v1/rounds", json=ROUND), 201)["round_id"]

    r.on(D(2026, 6, 2))
    ids = {
        oid: ok(
            await ev.post(f"/v1/rounds/{rid}/applications", json={"organization_id": oid}), 201
        )["application_id"]
        for oid in (graded, leaving, fined)
    }
    r.on(D(2026, 6, 3))
    ok(await ev.post(f"/v1/applications/{ids[leaving]}/withdrawal", json={"reason": "机构调整"}))
    penalty = {"penalty": "warning", "decision_number": "武民罚决字〔2026〕5号", "reason": "违规"}
    ok(await r.registry.post(f"/v1/organizations/{fined}/penalties", json=penalty), 201)

    async def eligibility() -> Any:
        return ok(await ev.get(f"/v1/eligibility/{fined}"))

    seen = await eventually(eligibility, lambda b: b["eligible"] is False)  # over REGISTRY
    assert seen["eligible"] is False, seen

    r.on(D(2026, 6, 6))
    closed = ok(await ev.post(f"/v1/rounds/{rid}/closure"))
    assert (closed["admitted"], closed["excluded"]) == (1, 1)
    (excluded,) = closed["ineligible"]
    assert excluded["organization_id"] == fined
    assert excluded["reasons"][0].startswith("penalty: ")

    r.on(D(2026, 6, 8))
    app = f"/v1/applications/{ids[graded]}"
    for assessor, fraction in (("专家甲", 0.93), ("专家乙", 0.95)):
        body = {"assessor": assessor, "scores": sheet(fraction)}
        scored = ok(await ev.post(f"{app}/sheets", json=body), 201)
    assert (scored["score"], scored["proposed_grade"]) == (940, "4A")
    ok(await ev.post(f"{app}/decision", json={"grade": "4A"}))
    r.on(D(2026, 6, 9))
    assert ok(await ev.post(f"{app}/publication"))["publicity_ends_on"] == "2026-06-23"
    r.on(D(2026, 6, 15))
    objected = ok(await ev.post(f"{app}/objections", json={"grounds": "社会评价计分有误"}), 201)
    objection = objected["objections"][0]["objection_id"]
    r.on(D(2026, 6, 20))
    review = {"grade": "5A", "reason": "复核: 社会评价加计20分"}
    ok(await ev.post(f"{app}/objections/{objection}/decision", json=review))
    r.on(D(2026, 6, 24))
    confirmed = ok(await ev.post(f"{app}/confirmation"))["confirmation"]
    assert (confirmed["grade"], confirmed["valid_from"], confirmed["valid_until"]) == (
        "5A", "2027-01-01", "2031-12-31",
    )  # fmt: skip

    async def ratings() -> list[dict[str, Any]]:
        return await on_stream(r.nats_url, "REGISTRY", "rating_changed")

    (rating,) = await eventually(ratings, lambda found: len(found) >= 1)
    assert rating["_subject"] == "registry.42.01.06.rating_changed"
    assert rating["subject"].endswith(graded)
    data = rating["data"]
    assert (data["organization_id"], data["grade"], data["evaluation_id"]) == (
        graded, "5A", ids[graded],
    )  # fmt: skip
    assert (data["decided_on"], data["announced_on"], data["regime"]) == (
        "2026-06-08", "2026-06-24", "revision_2026",
    )  # fmt: skip
    shown = await eventually(lambda: _application(r, ids[graded]), lambda a: a["recorded_on"])
    assert shown["recorded_on"] is not None, shown
    assert len(await ratings()) == 1  # once, and nothing for the withdrawn or the excluded

    def steps(found: list[dict[str, Any]]) -> list[str]:
        return [m["type"].removeprefix("socorg.evaluation.") for m in found]

    async def evaluation_stream() -> list[dict[str, Any]]:
        return await stream_messages(r.nats_url, "EVALUATION")

    published = await eventually(evaluation_stream, lambda f: "grade_confirmed" in steps(f))
    assert steps(published) == [
        "round_announced",
        *["application_submitted"] * 3,
        "application_withdrawn",
        *["application_rechecked"] * 2,
        "round_closed",
        *["assessment_scored"] * 2,
        "grade_decided",
        "decision_published",
        "objection_lodged",
        "objection_decided",
        "grade_confirmed",
    ]
    assert {m["_subject"].rsplit(".", 1)[0] for m in published} == {"evaluation.42.01.06"}
    round_closed = next(m for m in published if m["type"].endswith(".round_closed"))
    assert round_closed["data"] == {
        "round_id": rid, "closed_on": "2026-06-06", "admitted": 1, "excluded": 1,
    }  # fmt: skip

    r.on(D(2026, 6, 25))  # 跟踪评估 of the 5A the projection now holds (share 1: every one)
    draw = {"authority": AUTHORITY, "share": 1, "seed": 20260625}
    drawn = ok(await ev.post("/v1/follow-up-draws", json=draw), 201)
    (pick,) = drawn["drawn"]
    assert (pick["organization_id"], pick["grade"], drawn["candidates"]) == (graded, "5A", 1)
    r.on(D(2026, 7, 10))
    result = {"result": "downgraded", "grade": "4A", "reason": "跟踪评估: 降为4A"}
    ok(await ev.post(f"/v1/rating-changes/{pick['reaction_id']}/closure", json=result))
    _, lowered = await eventually(ratings, lambda found: len(found) >= 2)
    assert (lowered["data"]["grade"], lowered["data"]["evaluation_id"]) == (
        "4A", pick["reaction_id"],
    )  # fmt: skip
    assert lowered["data"]["valid_until"] == "2031-12-31"  # the validity of the 5A it lowers
    after = await eventually(evaluation_stream, lambda f: "rating_change_decided" in steps(f))
    assert steps(after)[len(published) :] == [
        "follow_up_drawn", "rating_change_proposed", "rating_change_decided",
    ]  # fmt: skip
    assert len(await ratings()) == 2


async def _application(r: Rig, aid: str) -> Any:
    return ok(await r.evaluation.get(f"/v1/applications/{aid}"))
