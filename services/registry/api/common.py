"""What every registry route shares: documented refusals, the write dependency, the views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Response

from services.registry.api.deps import Rater, RegistryDep, Writer, actor
from services.registry.api.schemas import OrganizationRead
from services.registry.api.views import organization_read, with_etag
from services.registry.app.commands import Command
from services.registry.bootstrap import Registry
from services.registry.domain.organization import Organization
from shared.http.keys import Client

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


async def _writing(client: Writer, registry: RegistryDep, response: Response) -> Act:
    return Act(registry, client, response)


async def _rating(client: Rater, registry: RegistryDep, response: Response) -> Act:
    return Act(registry, client, response)


Write = Annotated[Act, Depends(_writing)]
Rate = Annotated[Act, Depends(_rating)]
