"""The organizations resource: register, read (now or as of a date), search, change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from services.registry.api.common import (
    QUERY_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    if_match,
    problem,
    state_after,
)
from services.registry.api.deps import (
    OVERRIDE,
    Handlers,
    Queries,
    Reader,
    RequiredIfMatch,
    Writer,
    actor,
)
from services.registry.api.filters import SearchFilters
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import (
    OrganizationCreate,
    OrganizationPage,
    OrganizationRead,
    OrganizationSummary,
    OrganizationUpdate,
)
from services.registry.api.views import organization_read, with_etag
from services.registry.app import commands
from services.registry.app.types import CreditCode, FilingNumber, IsoDate, OrganizationId
from services.registry.domain.registration import OverrideRequest
from shared.http.problems import Problem

router = APIRouter(prefix="/v1/organizations", tags=["organizations"], route_class=StrictJsonRoute)
Id = Annotated[OrganizationId, Path(description="the organization's id")]


@router.post("", status_code=201, responses=WRITE_ERRORS)
async def register(
    body: OrganizationCreate, client: Writer, handlers: Handlers, response: Response
) -> OrganizationRead:
    """成立登记: register a social group, social service agency or foundation."""
    override = None
    if body.code_override is not None:
        if not client.has(OVERRIDE):
            raise Problem(
                403,
                "missing-scope",
                f"a credit-code override needs the scope {OVERRIDE!r}",
                required_scope=OVERRIDE,
            )
        override = OverrideRequest(body.code_override.allowed_by, body.code_override.reason)
    fields = body.model_dump(exclude={"code_override", "domicile", "registered_on"})
    command = commands.register(
        handlers.places,
        domicile=body.domicile,
        override=override,
        registered_on=handlers.day(body.registered_on, "registered_on"),
        **fields,
    )
    org = await handlers.create(actor(client), command)
    response.headers["Location"] = f"{router.prefix}/{org.organization_id}"
    return state_after(org, handlers, response)


@router.get("", responses=QUERY_ERRORS)
async def search(
    _: Reader,
    queries: Queries,
    filters: SearchFilters,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> OrganizationPage:
    """Search the register by filters, in registration order, a page at a time."""
    found = await queries.search(filters, limit=limit, cursor=cursor)
    return OrganizationPage(
        items=[OrganizationSummary.model_validate(r) for r in found.rows],
        total=found.total,
        total_exact=found.exact,
        next_cursor=found.next_cursor,
    )


@router.get("/by-credit-code/{credit_code}", responses=READ_ERRORS)
async def by_credit_code(
    credit_code: Annotated[CreditCode, Path()],
    _: Reader,
    queries: Queries,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """The organization holding a 统一社会信用代码."""
    org = await queries.organization(await queries.id_by(credit_code=credit_code))
    with_etag(response, org)
    return organization_read(org, handlers.places, today=handlers.clock.today())


@router.get("/by-filing-number/{filing_number}", responses=READ_ERRORS)
async def by_filing_number(
    filing_number: Annotated[FilingNumber, Path()],
    _: Reader,
    queries: Queries,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """The community organization filed (备案) under a filing number."""
    org = await queries.organization(await queries.id_by(filing_number=filing_number))
    with_etag(response, org)
    return organization_read(org, handlers.places, today=handlers.clock.today())


@router.get("/{organization_id}", responses=READ_ERRORS)
async def read(
    organization_id: Id,
    _: Reader,
    queries: Queries,
    handlers: Handlers,
    response: Response,
    as_of: Annotated[
        IsoDate | None, Query(description="the state after every act dated that day or before")
    ] = None,
) -> OrganizationRead:
    """One organization, now or as of a past date (folded from its events)."""
    org = await queries.organization(organization_id, as_of=as_of)
    if as_of is None:
        with_etag(response, org)
    return organization_read(org, handlers.places, today=handlers.clock.today(), as_of=as_of)


@router.patch(
    "/{organization_id}",
    responses={**WRITE_ERRORS, 428: problem("no If-Match (`if-match-required`)")},
    openapi_extra=if_match(required=True),
)
async def change(
    organization_id: Id,
    body: OrganizationUpdate,
    version: RequiredIfMatch,
    client: Writer,
    handlers: Handlers,
    response: Response,
) -> OrganizationRead:
    """变更登记: change registered fields; needs If-Match with the version read."""
    changes = body.model_dump(exclude_unset=True, exclude={"changed_on"})
    command = commands.change(
        handlers.places, changes, changed_on=handlers.day(body.changed_on, "changed_on")
    )
    org = await handlers.act(actor(client), organization_id, command, expected_version=version)
    return state_after(org, handlers, response)
