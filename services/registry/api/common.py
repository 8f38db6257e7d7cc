"""What every registry route shares: documented refusals, the write dependency, the views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Response

from services.registry.api.deps import Queries, Rater, RegistryDep, Writer, actor
from services.registry.api.schemas import OrganizationRead
from services.registry.api.views import organization_read, with_etag
from services.registry.app.commands import Command
from services.registry.app.queries import RegistryQueries
from services.registry.bootstrap import Registry
from services.registry.domain.organization import Organization
from shared.http.keys import Client

# Every status an operation answers is declared, each a problem+json of this shape, so a
# client (and schemathesis' conformance checks) can rely on the document.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "example": "urn:socorg:problem:validation"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": ["string", "null"]},
    },
}
Responses = dict[int | str, dict[str, Any]]


def problem(description: str) -> dict[str, Any]:
    """A declared error response: what it means, as problem+json."""
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }


PROBLEM = problem("problem+json")
AUTH_ERRORS: Responses = {
    401: problem("no API key, or one that is unknown or revoked"),
    403: problem("the key lacks the scope, or does not cover the organization's place"),
}
QUERY_ERRORS: Responses = {
    **AUTH_ERRORS,
    422: problem("a parameter is not valid (`validation`, `invalid-cursor`, `unknown-place`)"),
}
READ_ERRORS: Responses = {**QUERY_ERRORS, 404: problem("no such organization")}
WRITE_ERRORS: Responses = {
    **READ_ERRORS,
    400: problem(
        "the body cannot be parsed, names a key twice (`duplicate-key`), "
        "or If-Match is not an ETag (`bad-if-match`)"
    ),
    409: problem("the organization's state or version forbids it (`version-conflict`, …)"),
    413: problem(
        "the body is over 1 MiB (`body-too-large`), or the event the command makes is over "
        "EVENT_MAX_BYTES (`event-too-large`); nothing is written"
    ),
    415: problem("the body is not JSON in UTF-8 (`not-utf-8`)"),
    422: problem("the command is invalid; the slug is the refusal code (or `validation`)"),
    503: problem("the commit's outcome is unknown (`outcome-unknown`): retry with the same key"),
}
IF_MATCH_SCHEMA: dict[str, Any] = {"type": "string", "pattern": r'^(W/)?"?[0-9]{1,9}"?$'}


def if_match(*, required: bool) -> dict[str, Any]:
    """The If-Match header as an operation declares it (`openapi_extra`): the dependency reads
    it itself, so that a missing one is a 428 and a malformed one a 400, not a 422."""
    described = (
        "the ETag of the version read; required"
        if required
        else "the ETag of the version read: the command applies only to that version"
    )
    return {
        "parameters": [
            {
                "name": "If-Match",
                "in": "header",
                "required": required,
                "description": described,
                "schema": IF_MATCH_SCHEMA,
                "example": '"3"',
            }
        ]
    }


IF_MATCH = if_match(required=False)


def shown(
    org: Organization,
    registry: Registry,
    response: Response,
    *,
    as_of: date | None = None,
) -> OrganizationRead:
    """The organization as read; its version as ETag unless read as of a date."""
    if as_of is None:
        with_etag(response, org)
    return organization_read(
        org,
        registry.places,
        today=registry.clock.today(),
        as_of=as_of,
        reporting=registry.reporting,
    )


@dataclass(frozen=True)
class Show:
    """A read of one organization by the calling client, shown with its ETag."""

    queries: RegistryQueries
    registry: Registry
    response: Response

    async def by(
        self,
        organization_id: str | None = None,
        *,
        as_of: date | None = None,
        **identifier: str,
    ) -> OrganizationRead:
        """The organization by id, or by its one identifier (`credit_code=…`, `filing_number=…`)."""
        found = organization_id or await self.queries.id_by(**identifier)
        org = await self.queries.organization(found, as_of=as_of)
        return shown(org, self.registry, self.response, as_of=as_of)


@dataclass(frozen=True)
class Act:
    """A write by the calling client: its command handled, the state after returned."""

    registry: Registry
    client: Client
    response: Response

    async def __call__(self, command: Command, *, location: str | None = None) -> OrganizationRead:
        """The organization after `command`; `location`: the collection of a new one."""
        org = await self.registry.handlers.handle(command, actor(self.client))
        if location is not None:
            self.response.headers["Location"] = f"{location}/{org.organization_id}"
        return shown(org, self.registry, self.response)


async def _showing(queries: Queries, registry: RegistryDep, response: Response) -> Show:
    return Show(queries, registry, response)


async def _writing(client: Writer, registry: RegistryDep, response: Response) -> Act:
    return Act(registry, client, response)


async def _rating(client: Rater, registry: RegistryDep, response: Response) -> Act:
    return Act(registry, client, response)


Shown = Annotated[Show, Depends(_showing)]
Write = Annotated[Act, Depends(_writing)]
Rate = Annotated[Act, Depends(_rating)]
