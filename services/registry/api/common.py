"""What every registry route shares: documented refusals and the state-after response."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from services.registry.api.schemas import OrganizationRead
from services.registry.api.views import organization_read, with_etag
from services.registry.app.handlers import RegistryHandlers
from services.registry.domain.organization import Organization

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
    422: problem("a parameter is not valid (`validation`, `invalid-cursor`, `unknown_place`)"),
}
READ_ERRORS: Responses = {**QUERY_ERRORS, 404: problem("no such organization")}
WRITE_ERRORS: Responses = {
    **READ_ERRORS,
    400: problem(
        "the body cannot be parsed, names a key twice (`duplicate-key`), "
        "or If-Match is not an ETag (`bad-if-match`)"
    ),
    409: problem("the organization's state or version forbids it (`version-conflict`, …)"),
    413: problem("the body is too large"),
    415: problem("the body is not JSON in UTF-8 (`not-utf-8`)"),
    422: problem("the command is invalid; the slug is the refusal code (or `validation`)"),
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


def state_after(
    org: Organization, handlers: RegistryHandlers, response: Response
) -> OrganizationRead:
    """The organization after a command, with its new version as ETag."""
    with_etag(response, org)
    return organization_read(org, handlers.places, today=handlers.clock.today())
