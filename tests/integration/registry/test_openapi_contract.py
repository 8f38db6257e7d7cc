"""The OpenAPI says what the API does: statuses, required headers, and 405's Allow."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.registry.builders import is_problem, organization


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


def _if_match(operation: dict[str, Any]) -> dict[str, Any]:
    [header] = [p for p in operation["parameters"] if p["name"].lower() == "if-match"]
    return header


async def test_every_status_an_operation_answers_is_declared(api: httpx.AsyncClient) -> None:
    document = (await api.get("/openapi.json")).json()
    one = "/v1/organizations/{organization_id}"
    declared = {
        (method, path): set(op["responses"])
        for path, ops in document["paths"].items()
        for method, op in ops.items()
    }
    assert {"401", "403", "404", "409"} <= declared["get", "/v1/events"]
    assert {"401", "403", "404", "409", "422"} <= declared["get", "/v1/events/stream"]
    assert {"401", "403", "404"} <= declared["get", "/v1/places/{code}"]
    assert {"400", "401", "403", "404", "409", "413", "415", "422", "428"} <= declared["patch", one]
    for path in ("/v1/organizations", f"{one}/annual-reports", f"{one}/deregistration"):
        assert {"400", "401", "403", "409", "413", "415", "422"} <= declared["post", path]
    assert {"400", "401", "403", "415"} <= declared["post", "/v1/imports"]
    for (method, path), statuses in declared.items():
        if path.startswith("/v1"):
            errors = _operation(document, method, path)["responses"]
            for status in statuses - {"200", "201"}:
                assert "application/problem+json" in errors[status]["content"], (path, status)


async def test_if_match_is_declared_required_where_it_is(api: httpx.AsyncClient) -> None:
    document = (await api.get("/openapi.json")).json()
    one = "/v1/organizations/{organization_id}"
    change = _if_match(_operation(document, "patch", one))
    assert change["required"] is True and change["schema"]["pattern"]
    assert _if_match(_operation(document, "post", f"{one}/disposals"))["required"] is False
    # and the API does what it says: a missing If-Match is 428, a malformed one 400
    r = await api.patch(f"/v1/organizations/{'0' * 32}", json={"name": "某协会"})
    is_problem(r, 428, "if-match-required")
    r = await api.patch(
        f"/v1/organizations/{'0' * 32}", json={"name": "某协会"}, headers={"If-Match": "v1"}
    )
    is_problem(r, 400, "bad-if-match")


async def test_a_date_is_only_what_the_schema_says_yyyy_mm_dd(api: httpx.AsyncClient) -> None:
    for value in ("5.218180543918699e-31", "1700000000", "2022-01-01T00:00:00"):
        r = await api.get("/v1/exports/organizations", params={"registered_from": value})
        is_problem(r, 422, "validation")
    body = {**organization(1), "registered_on": 1588291200}
    is_problem(await api.post("/v1/organizations", json=body), 422, "validation")
    r = await api.get("/v1/organizations", params={"registered_from": "2022-01-01"})
    assert r.status_code == 200
