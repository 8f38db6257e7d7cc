"""Bad input from the notifier's own OpenAPI (schemathesis), in the registry's shape
(tests/integration/registry/test_openapi_fuzz.py): never a 5xx, every 4xx problem+json, and
every answer the one the document says.

Every `/v1` operation is run in both modes against a notifier holding a subscription with a
delivery, a flag and reminders, so the path parameters reach real rows (not only 404). A request
that fits the schema may still be refused with 422 by a rule no JSON Schema says (a webhook URL
the SSRF rule refuses); it must then carry the rule's own refusal code, not `validation`.
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

from tests.integration.notifier import test_webhooks
from tests.integration.notifier.test_reminders import register
from tests.integration.notifier.test_webhooks import DEV, World, settled, subscribe

EXAMPLES = int(os.environ.get("SOCORG_FUZZ_EXAMPLES", "12"))
REFUSALS = [*schemathesis.config.PositiveDataAcceptanceConfig().expected_statuses, "422", "409"]

world = test_webhooks.world  # the notifier served with a webhook receiver (the fixture)


def check(case: Any, response: Any) -> None:
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    assert response.status_code < 500, where
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/problem+json"), where
    if case.meta.generation.mode.is_positive and response.status_code == 422:
        assert response.json()["type"] != "urn:socorg:problem:validation", where
    case.validate_response(response, headers=DEV)


def fuzz(base: str, fixed: dict[str, list[str]]) -> Counter[int]:
    """Run every /v1 operation in both modes; the count of each status answered."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    schema.config.checks.positive_data_acceptance.expected_statuses = REFUSALS
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/v1"):
            continue  # the operational endpoints (readyz answers 503 without NATS, by design)
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


async def test_bad_input_never_breaks_the_notifier_api(world: World) -> None:
    w = world
    sub = await subscribe(w, "fuzz", event_types=["report_overdue", "zombie_flagged"])
    await register(w.db)
    assert (await w.api.post("/v1/scans", json={"on": "2025-06-01"})).status_code == 200
    [delivery, *_] = await settled(w, sub["id"])
    for day in ("0001-01-01", "9999-12-31"):  # the rules look a year back and ahead
        r = await w.api.post("/v1/scans", json={"on": day})
        assert r.status_code == 422 and r.json()["type"] == "urn:socorg:problem:validation"
    fixed = {"subscription_id": [sub["id"]], "delivery_id": [str(delivery["id"])]}
    # the requests are synchronous; the server runs on this event loop
    statuses = await asyncio.to_thread(fuzz, w.base, fixed)
    assert statuses.total() > 100
    assert statuses[200] and statuses[422]


async def test_a_nul_in_an_id_or_a_cursor_is_refused_as_the_schema_says(world: World) -> None:
    # PostgreSQL text cannot hold NUL: once, these reached a query and answered 500.
    for path in (
        "/v1/zombies?after=%00",
        "/v1/subscriptions?after=%00",
        "/v1/subscriptions/%00",
        "/v1/subscriptions/a%00b/deliveries",
        "/v1/subscriptions/%00/attempts",
    ):
        r = await world.api.get(path)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["type"] == "urn:socorg:problem:validation", path
