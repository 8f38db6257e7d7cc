"""The OpenAPI says what the API does: statuses, required headers, and 405's Allow."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.registry.builders import is_problem


async def test_a_405_allows_every_method_of_the_path(api: httpx.AsyncClient) -> None:
    document = (await api.get("/openapi.json")).json()
    for path, want in (
        ("/v1/organizations", {"GET", "POST"}),
        ("/v1/organizations/0123456789abcdef0123456789abcdef", {"GET", "PATCH"}),
        ("/v1/imports", {"POST"}),
    ):
        r = await api.request("DELETE", path)
        is_problem(r, 405)
        allowed = {m.strip() for m in r.headers["allow"].split(",")}
        assert allowed - {"HEAD"} == want, (path, allowed)
        template = path if path in document["paths"] else "/v1/organizations/{organization_id}"
        assert {m.upper() for m in document["paths"][template]} == want


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method]
    return operation
