"""The organizations resource: register, read (now or as of a date), search, change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.registry.api.common import (
    QUERY_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Shown,
    Write,
    if_match,
    problem,
)
from services.registry.api.deps import Queries, Reader, RequiredIfMatch
from services.registry.api.filters import SearchFilters
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.schemas import (
    OrganizationCreate,
    OrganizationPage,
    OrganizationRead,
    OrganizationSummary,
    OrganizationUpdate,
)
from services.registry.app.commands import ChangeRegistration, RegisterOrganization
from services.registry.app.types import CreditCode, FilingNumber, OrganizationId
from services.registry.domain.registration import OverrideRequest
from shared.http.dates import IsoDate

router = APIRouter(prefix="/v1/organizations", tags=["organizations"], route_class=StrictJsonRoute)
Id = Annotated[OrganizationId, Path(description="the organization's id")]


@router.post("", status_code=201, responses=WRITE_ERRORS)
async def register(body: OrganizationCreate, act: Write) -> OrganizationRead:
    """成立登记: register a social group, social service agency or foundation."""
    o = body.code_override
    override = OverrideRequest(o.allowed_by, o.reason) if o is not None else None
    command = RegisterOrganization(**body.model_dump(exclude={"code_override"}), override=override)
    return await act(command, location=router.prefix)


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
    credit_code: Annotated[CreditCode, Path()], _: Reader, show: Shown
) -> OrganizationRead:
    """The organization holding a 统一社会信用代码."""
    return await show.by(credit_code=credit_code)


@router.get("/by-filing-number/{filing_number}", responses=READ_ERRORS)
async def by_filing_number(
    filing_number: Annotated[FilingNumber, Path()], _: Reader, show: Shown
) -> OrganizationRead:
    """The community organization filed (备案) under a filing number."""
    return await show.by(filing_number=filing_number)


@router.get("/{organization_id}", responses=READ_ERRORS)
async def read(
    organization_id: Id,
    _: Reader,
    show: Shown,
    as_of: Annotated[
        IsoDate | None, Query(description="the state after every act dated that day or before")
    ] = None,
) -> OrganizationRead:
    """One organization, now or as of a past date (folded from its events)."""
    return await show.by(organization_id, as_of=as_of)


@router.patch(
    "/{organization_id}",
    responses={**WRITE_ERRORS, 428: problem("no If-Match (`if-match-required`)")},
    openapi_extra=if_match(required=True),
)
async def change(
    organization_id: Id,
    body: OrganizationUpdate,
    version: RequiredIfMatch,
    act: Write,
) -> OrganizationRead:
    """变更登记: change registered fields; needs If-Match with the version read."""
    changes = body.model_dump(exclude_unset=True, exclude={"changed_on"})
    return await act(
        ChangeRegistration(
            organization_id=organization_id,
            expected_version=version,
            changes=changes,
            changed_on=body.changed_on,
        )
    )
