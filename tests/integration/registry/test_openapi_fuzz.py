"""Bad input from the registry's own OpenAPI (schemathesis): never a 5xx, every 4xx problem+json,
and every answer the one the document says (schemathesis' response checks, all of them).

Schemathesis generates requests that fit the schema and requests that break it, for every
`/v1` operation, against a register holding one organization of each sort (so commands reach
the aggregate, not only 404). The number of examples is bounded (SOCORG_FUZZ_EXAMPLES per
operation and mode) to keep the run short.

One expectation is stated rather than left at schemathesis' default: a request that fits the
schema may still be refused with 422 by the register's rules, which no JSON Schema can say (a
credit code's check digit, a place code that exists, a date after the organization's
registration and not in the future). Such a 422 carries the rule's own refusal code; one of
type `validation` would mean the schema admits what the API refuses, and fails.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.integration.registry.builders import filed, registered
from tests.integration.registry.conftest import DEV

EXAMPLES = int(os.environ.get("SOCORG_FUZZ_EXAMPLES", "12"))


REFUSALS = [*schemathesis.config.PositiveDataAcceptanceConfig().expected_statuses, "422"]


def check(case: Any, response: Any) -> None:
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    assert response.status_code < 500, where
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/problem+json"), where
    if case.meta.generation.mode.is_positive and response.status_code == 422:
        assert response.json()["type"] != "urn:socorg:problem:validation", where
    case.validate_response(response, headers=DEV)  # every check schemathesis has


def fuzz(base: str, org_ids: list[str]) -> Counter[int]:
    """Run every /v1 operation in both modes; the count of each status answered."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    schema.config.checks.positive_data_acceptance.expected_statuses = REFUSALS
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/v1"):
            continue  # the operational endpoints (readyz answers 503 without NATS, by design)
        fixed = [{}] + (
            [{"organization_id": i} for i in org_ids]
            if "{organization_id}" in operation.path
            else []
        )
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path_parameters in fixed:
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
                    pass  # nothing left to break once the path is fixed (e.g. GET …/history)
    return statuses


async def test_bad_input_never_breaks_the_api(api: httpx.AsyncClient, base: str) -> None:
    ids = [(await registered(api))["id"], (await filed(api))["id"]]
    # the requests are synchronous; the server runs on this event loop
    statuses = await asyncio.to_thread(fuzz, base, ids)
    assert statuses.total() > 100
    assert statuses[201] and statuses[409]  # commands reached the aggregate, not only 404
