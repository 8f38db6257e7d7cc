"""Bad input from the evaluation's own OpenAPI (schemathesis), in the notifier's and the
registry's shape (their checks are reused): never a 5xx, every 4xx problem+json, every answer
the one the document says, and a 422 to a request that fits the schema carries a rule's refusal
code, not `validation`.

Every operation of the evaluation's own runs in both modes against an evaluation holding an
organization, a round closed with an application decided and published and an objection
lodged, so the path parameters reach real rows (not only 404). The platform's operations (the
event feed and its stream, consumers, dead letters) are shared code the registry's fuzz covers;
the stream's long poll alone would take most of the time. SOCORG_FUZZ_EXAMPLES bounds the run.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.integration.evaluation import test_rounds_api
from tests.integration.evaluation.test_rounds_api import ROUND, D, World, ok, organization, sheet
from tests.integration.notifier.test_openapi_fuzz import DEV, REFUSALS, check

world = test_rounds_api.world  # the evaluation served on a fixed clock (the fixture)
EXAMPLES = int(os.environ.get("SOCORG_FUZZ_EXAMPLES", "12"))
PLATFORM = ("/v1/events", "/v1/consumers", "/v1/dead-letters", "/v1/projections")


def fuzz(base: str, fixed: dict[str, list[str]]) -> Counter[int]:
    """Run every evaluation operation in both modes; the count of each status answered."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    schema.config.checks.positive_data_acceptance.expected_statuses = REFUSALS
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/v1") or operation.path.startswith(PLATFORM):
            continue
        given_ids: list[dict[str, str]] = [{}]
        for name, values in fixed.items():
            if "{" + name + "}" in operation.path:
                given_ids += [{name: v} for v in values]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path_parameters in given_ids:
                strategy = operation.as_strategy(
                    generation_mode=mode, path_parameters=path_parameters or None
                )

                @settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=strategy)
                def run(case: Any) -> None:
                    response = case.call(base_url=base, headers=DEV)
                    statuses[response.status_code] += 1
                    check(case, response)

                try:
                    run()
                except Unsatisfiable:
                    pass  # nothing left to break once the path is fixed
    return statuses


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
    # the requests are synchronous; the server runs on this event loop
    statuses = await asyncio.to_thread(fuzz, base, fixed)
    assert statuses.total() > 100
    assert statuses[200] and statuses[422]
