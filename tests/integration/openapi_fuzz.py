"""Bad input from a service's own OpenAPI (schemathesis), the one loop every service's
test_openapi_fuzz.py runs: never a 5xx, every 4xx problem+json, every answer the one the
document says (schemathesis' response checks, all of them).

Every `/v1` operation (but those a test skips) runs in both modes, once with generated path
parameters and once with each of the test's fixed ids, so requests reach real rows, not only
404. One expectation is stated rather than left at schemathesis' default: a request that fits
the schema may still be refused by the service's rules, which no JSON Schema can say (422, or
409 where a test allows it). Such a 422 carries the rule's own refusal code; one of type
`validation` would mean the schema admits what the API refuses, and fails.
SOCORG_FUZZ_EXAMPLES bounds the examples per operation and mode.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

EXAMPLES = int(os.environ.get("SOCORG_FUZZ_EXAMPLES", "12"))
REFUSALS = [*schemathesis.config.PositiveDataAcceptanceConfig().expected_statuses, "422"]


def check(case: Any, response: Any, headers: Mapping[str, str]) -> None:
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    assert response.status_code < 500, where
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/problem+json"), where
    if case.meta.generation.mode.is_positive and response.status_code == 422:
        assert response.json()["type"] != "urn:socorg:problem:validation", where
    case.validate_response(response, headers=dict(headers))  # every check schemathesis has


async def fuzz(
    base: str,
    *,
    headers: Mapping[str, str],
    fixed: Mapping[str, Sequence[str]],
    refusals: Sequence[str] = (),
    skip: tuple[str, ...] = (),
) -> Counter[int]:
    """Run the service's operations at `base`; the count of each status answered.

    `fixed`: ids to put in the path parameter of that name; `refusals`: statuses a request
    that fits the schema may get besides schemathesis' and 422; `skip`: path prefixes left out.
    """
    # The requests are synchronous, and the service runs on this event loop.
    return await asyncio.to_thread(_fuzz, base, headers, fixed, [*REFUSALS, *refusals], skip)


def _fuzz(
    base: str,
    headers: Mapping[str, str],
    fixed: Mapping[str, Sequence[str]],
    refusals: list[str],
    skip: tuple[str, ...],
) -> Counter[int]:
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    schema.config.checks.positive_data_acceptance.expected_statuses = refusals
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/v1") or operation.path.startswith(skip):
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
                    response = case.call(base_url=base, headers=dict(headers))
                    statuses[response.status_code] += 1
                    check(case, response, headers)

                try:
                    run()
                except Unsatisfiable:
                    pass  # nothing left to break once the path is fixed (e.g. GET …/history)
    return statuses
