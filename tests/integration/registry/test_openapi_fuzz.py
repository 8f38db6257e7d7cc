"""Bad input from the registry's own OpenAPI (tests/integration/openapi_fuzz.py): never a 5xx,
every 4xx problem+json, and every answer the one the document says.

Every `/v1` operation runs against a register holding one organization of each sort (so
commands reach the aggregate, not only 404). A request that fits the schema may still be
refused with 422 by the register's rules, which no JSON Schema can say (a credit code's check
digit, a place code that exists, a date after the organization's registration and not in the
future); it must then carry the rule's own refusal code, not `validation`.
"""

from __future__ import annotations

import httpx

from tests.integration.openapi_fuzz import fuzz
from tests.integration.registry.builders import filed, registered
from tests.integration.registry.conftest import DEV


async def test_bad_input_never_breaks_the_api(api: httpx.AsyncClient, base: str) -> None:
    ids = [(await registered(api))["id"], (await filed(api))["id"]]
    statuses = await fuzz(base, headers=DEV, fixed={"organization_id": ids})
    assert statuses.total() > 100
    assert statuses[201] and statuses[409]  # commands reached the aggregate, not only 404
