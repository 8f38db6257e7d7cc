"""What every registry route shares: documented refusals and the state-after response."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from services.registry.api.schemas import OrganizationRead
from services.registry.api.views import organization_read, with_etag
from services.registry.app.handlers import RegistryHandlers
from services.registry.domain.organization import Organization

PROBLEM = {"description": "problem+json", "content": {"application/problem+json": {}}}
READ_ERRORS: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM, 404: PROBLEM}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    409: {"description": "the organization's state or version forbids it (problem+json)"},
    413: {
        "description": "the body is over 1 MiB (`body-too-large`), or the event the command "
        "makes is over EVENT_MAX_BYTES (`event-too-large`); nothing is written (problem+json)"
    },
    422: {"description": "the command is invalid; the slug is the refusal code (problem+json)"},
}


def state_after(
    org: Organization, handlers: RegistryHandlers, response: Response
) -> OrganizationRead:
    """The organization after a command, with its new version as ETag."""
    with_etag(response, org)
    return organization_read(org, handlers.places, today=handlers.clock.today())
