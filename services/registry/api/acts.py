"""Routes for acts on one organization, declared as data: body → command → handler → view.

Every such route is the same five lines (the path's id, the body, If-Match, the write, the
command), so each is one `ActRoute` row and `add_acts` builds its endpoint. The endpoint's
signature is built with real types, so FastAPI documents and validates it exactly as if it
were written out by hand: same operation id, summary, description, body and responses.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel

from services.registry.api.common import IF_MATCH, WRITE_ERRORS, Rate, Write
from services.registry.api.deps import IfMatch
from services.registry.api.schemas import OrganizationRead
from services.registry.app.commands import OnOrganization
from services.registry.app.types import OrganizationId

Id = Annotated[OrganizationId, Path(description="the organization's id")]


@dataclass(frozen=True)
class ActRoute:
    """One act: where it is posted, what body it takes, the command it becomes."""

    path: str
    body: type[BaseModel]
    command: Callable[..., OnOrganization]
    name: str  # the endpoint's name: the operation id and summary derive from it
    doc: str  # one line: the OpenAPI description
    method: Literal["POST", "PUT"] = "POST"
    rating: bool = False  # taken with the `registry:rate` scope instead of `registry:write`


def add_acts(router: APIRouter, acts: Iterable[ActRoute]) -> None:
    """Add a route for each act to `router`: POST answers 201, PUT 200, both the state after."""
    for act in acts:
        router.add_api_route(
            act.path,
            _endpoint(act),
            methods=[act.method],
            status_code=201 if act.method == "POST" else 200,
            response_model=OrganizationRead,
            responses=WRITE_ERRORS,
            openapi_extra=IF_MATCH,
        )


def _endpoint(act: ActRoute) -> Callable[..., Any]:
    async def endpoint(
        organization_id: OrganizationId, body: BaseModel, version: int | None, write: Any
    ) -> OrganizationRead:
        command = act.command(
            organization_id=organization_id, expected_version=version, **body.model_dump()
        )
        result: OrganizationRead = await write(command)
        return result

    def parameter(name: str, annotation: Any) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)

    endpoint.__name__ = endpoint.__qualname__ = act.name
    endpoint.__doc__ = act.doc
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            parameter("organization_id", Id),
            parameter("body", act.body),
            parameter("version", IfMatch),
            parameter("write", Rate if act.rating else Write),
        ],
        return_annotation=OrganizationRead,
    )
    return endpoint
