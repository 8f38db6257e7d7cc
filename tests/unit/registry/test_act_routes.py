"""Acts declared as rows (api/acts.py): each route turns its body into its command, and is
documented like a route written out by hand (name, summary, If-Match, statuses, body)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.utils import generate_unique_id

from services.registry.api import annual, community, credit_lists, decisions, penalties
from services.registry.api.acts import ActRoute, add_acts
from services.registry.api.decision_schemas import RevocationCreate
from services.registry.app import commands as c

ROUTERS = (annual.router, community.router, credit_lists.router, decisions.router, penalties.router)
ACTS = [
    route
    for router in ROUTERS
    for route in router.routes
    if isinstance(route, APIRoute)
    and route.methods & {"POST", "PUT"}
    and "{organization_id}" in route.path
]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = FastAPI()
    for router in ROUTERS:
        app.include_router(router)
    return app.openapi()


def test_operation_ids_are_those_clients_were_generated_from(document: dict[str, Any]) -> None:
    rating = document["paths"]["/v1/organizations/{organization_id}/rating"]["put"]
    assert rating["operationId"] == "record_rating_v1_organizations__organization_id__rating_put"


def test_every_act_on_an_organization_is_one_route_per_command() -> None:
    names = sorted(route.name for route in ACTS)
    assert names == sorted(
        [
            "submit_annual_report",
            "conclude_inspection",
            "cancel_filing",
            "record_unreachable",
            "list_on_credit",
            "delist_from_credit",
            "recognise_as_charity",
            "order_disposal",
            "revoke_registration",
            "revoke_certificate",
            "deregister",
            "record_rating",
            "impose_penalty",
            "record_penalty_carried_out",
            "complete_rectification",
        ]
    )


@pytest.mark.parametrize("route", ACTS, ids=lambda r: r.name)
def test_an_act_is_documented_as_written_by_hand(route: APIRoute, document: dict[str, Any]) -> None:
    [method] = route.methods
    operation = document["paths"][route.path][method.lower()]
    assert operation["operationId"] == generate_unique_id(route)
    assert operation["summary"] == route.name.replace("_", " ").title()
    assert operation["description"] == route.endpoint.__doc__
    assert {"400", "401", "403", "404", "409", "413", "415", "422"} <= set(operation["responses"])
    ok = "201" if method == "POST" else "200"
    assert operation["responses"][ok]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/OrganizationRead"
    )
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["organization_id"]["in"] == "path"
    assert parameters["If-Match"]["required"] is False
    assert operation["requestBody"]["required"] is True


async def test_a_route_builds_its_command_from_the_path_the_body_and_if_match() -> None:
    router = APIRouter(prefix="/v1/organizations/{organization_id}")
    add_acts(
        router,
        [ActRoute("/x", RevocationCreate, c.RevokeRegistration, "revoke", "撤销登记.")],
    )
    [route] = router.routes
    assert isinstance(route, APIRoute)
    seen: list[Any] = []

    async def write(command: Any) -> str:
        seen.append(command)
        return "shown"

    body = RevocationCreate.model_validate({"revoked_on": "2025-03-01", "reason": "违法"})
    shown = await route.endpoint(organization_id="a" * 32, body=body, version=3, write=write)
    assert shown == "shown"
    assert seen == [
        c.RevokeRegistration(organization_id="a" * 32, expected_version=3, **body.model_dump())
    ]


def test_the_rating_act_takes_the_rating_scope_and_the_others_the_write_scope() -> None:
    scopes = {
        route.name: {d.call.__name__ for d in route.dependant.dependencies if d.call is not None}
        for route in ACTS
    }
    assert "_rating" in scopes["record_rating"] and "_writing" not in scopes["record_rating"]
    for name, calls in scopes.items():
        if name != "record_rating":
            assert "_writing" in calls and "_rating" not in calls, name
