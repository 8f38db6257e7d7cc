"""Bad input from the evaluation's own OpenAPI (tests/integration/openapi_fuzz.py): never a 5xx,
every 4xx problem+json, every answer the one the document says, and a 422 to a request that
fits the schema carries a rule's refusal code, not `validation`.

Every operation of the evaluation's own runs in both modes against an evaluation holding an
organization, a round closed with an application decided and published and an objection
lodged, so the path parameters reach real rows (not only 404). The platform's operations (the
event feed and its stream, consumers, dead letters) are shared code the registry's fuzz covers;
the stream's long poll alone would take most of the time. SOCORG_FUZZ_EXAMPLES bounds the run.
"""

from __future__ import annotations

from shared.settings import DEV_API_KEY
from tests.integration.evaluation import test_rounds_api
from tests.integration.evaluation.test_rounds_api import ROUND, D, World, ok, organization, sheet
from tests.integration.openapi_fuzz import fuzz

world = test_rounds_api.world  # the evaluation served on a fixed clock (the fixture)
DEV = {"X-API-Key": DEV_API_KEY}
PLATFORM = ("/v1/events", "/v1/consumers", "/v1/dead-letters", "/v1/projections")


async def test_bad_input_never_breaks_the_evaluation_api(world: World) -> None:
    api = world.api
    await world.record(*organization("clean"))
    investigation = ok(
        await api.post(
            "/v1/organizations/clean/investigations", json={"reference": "武民立〔2026〕1号"}
        ),
        201,
    )
    rid = ok(await api.post("/v1/rounds", json={**ROUND, "assessors": 1}), 201)["round_id"]
    ok(
        await api.post(
            f"/v1/organizations/clean/investigations/{investigation['investigation_id']}/closure",
            json={},
        )
    )
    await world.on(D(2026, 6, 10))
    aid = ok(
        await api.post(f"/v1/rounds/{rid}/applications", json={"organization_id": "clean"}), 201
    )["application_id"]
    await world.on(D(2026, 6, 21))
    ok(await api.post(f"/v1/rounds/{rid}/closure"))
    app = f"/v1/applications/{aid}"
    ok(await api.post(f"{app}/sheets", json={"assessor": "专家甲", "scores": sheet(0.93)}), 201)
    ok(await api.post(f"{app}/decision", json={"grade": "4A"}))
    ok(await api.post(f"{app}/publication"))
    await world.on(D(2026, 6, 25))
    objected = ok(await api.post(f"{app}/objections", json={"grounds": "异议"}), 201)
    fixed = {
        "organization_id": ["clean"],
        "investigation_id": [investigation["investigation_id"]],
        "round_id": [rid],
        "application_id": [aid],
        "objection_id": [objected["objections"][0]["objection_id"]],
        "authority": ["420100"],
    }
    base = str(api.base_url).rstrip("/")
    statuses = await fuzz(base, headers=DEV, fixed=fixed, refusals=["409"], skip=PLATFORM)
    assert statuses.total() > 100
    assert statuses[200] and statuses[422]
