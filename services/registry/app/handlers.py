"""The registry's command handler: read the organization, decide one event, save it together
with the read model's change, in one unit of work at the version read.

`handle` is the one entry point (routes and tests alike): a command on a new organization
creates it under a fresh id; any other is decided on the organization as it stands.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from services.registry.app.commands import Command, Creation, RegisterOrganization
from services.registry.app.decide import day_of, decide
from services.registry.app.errors import (
    DuplicateIdentifier,
    MissingScope,
    OrganizationNotFound,
    OutsideClientArea,
    VersionConflict,
)
from services.registry.app.ports import Register
from services.registry.app.streams import CODEC, STREAM_PREFIX
from services.registry.domain.errors import IdentifierTaken
from services.registry.domain.organization import Organization, domicile_of
from services.registry.domain.places import Places
from shared.clock import Clock
from shared.contracts.registry import RegistryEvent
from shared.eventstore import EventMetadata, WrongExpectedVersion
from shared.eventstore.repository import Repository

OVERRIDE_SCOPE = "registry:override"


@dataclass(frozen=True)
class Actor:
    """Who acts: the calling client, the area it may write, and the request it answers."""

    id: str
    name: str
    covers: Callable[[str], bool]
    correlation_id: str | None = None
    may_override: bool = False  # holds the scope to register a code that fails a check

    @property
    def metadata(self) -> EventMetadata:
        return EventMetadata(client=self.id, actor=self.name, correlation_id=self.correlation_id)


def organizations(register: Register) -> Repository[Organization]:
    """Organizations by id, over the register's event store."""
    return Repository(
        store=register.events, codec=CODEC, stream_prefix=STREAM_PREFIX, replay=Organization.replay
    )


class RegistryHandlers:
    def __init__(self, *, register: Register, places: Places, clock: Clock) -> None:
        self.register = register
        self.places = places
        self.clock = clock
        self.organizations = organizations(register)

    async def handle(self, command: Command, actor: Actor) -> Organization:
        """The organization after `command`, its event saved; or the refusal."""
        if (
            isinstance(command, RegisterOrganization)
            and command.override
            and not actor.may_override
        ):
            raise MissingScope(
                f"a credit-code override needs the scope {OVERRIDE_SCOPE!r}",
                required_scope=OVERRIDE_SCOPE,
            )
        if (earlier := self.register.earlier_write()) is not None:
            return await self._as_written(*earlier)
        day = day_of(command, self.clock.today())
        if isinstance(command, Creation):
            org = Organization(uuid.uuid4().hex)
        else:
            org = await self._existing(command.organization_id, command.expected_version, actor)
        event = decide(org, command, day, self.places)
        if event is None:  # already on record: answered as it stands, nothing written
            return org
        return await self._save(actor, org, event)

    async def _as_written(self, stream: str, version: int) -> Organization:
        """A retry of a request whose write is stored though its answer was lost: the
        organization as that write left it, answered again instead of writing twice."""
        org = await self.organizations.load(stream.removeprefix(STREAM_PREFIX), to_version=version)
        if org is None:
            raise OrganizationNotFound(f"no stream {stream} on the register")
        return org

    async def _existing(
        self, organization_id: str, expected: int | None, actor: Actor
    ) -> Organization:
        org = await self.organizations.load(organization_id)
        if org is None:
            raise OrganizationNotFound(f"no organization {organization_id} on the register")
        _require_covered(actor, domicile_of(org))
        if expected is not None and expected != org.version:
            raise _conflict(expected, org.version)
        return org

    async def _save(self, actor: Actor, org: Organization, event: RegistryEvent) -> Organization:
        after = org.apply(event)
        domicile = domicile_of(after)
        _require_covered(actor, domicile)
        try:
            async with self.register.unit_of_work() as uow:
                # the read model first: on PostgreSQL its write goes with the append and COMMIT
                await uow.organizations.put(after, event)
                self.organizations.save(
                    uow.events,
                    after.organization_id,
                    org.version,
                    [event],
                    metadata=actor.metadata,
                    division=domicile[:6],
                )
                # under an Idempotency-Key, its row says "written" if and only if this commits
                await uow.mark_written(
                    self.organizations.stream_of(after.organization_id), after.version
                )
        except WrongExpectedVersion as exc:
            raise _conflict(exc.expected, exc.current) from exc
        except IdentifierTaken as exc:
            raise _duplicate(exc) from exc
        return after


def _require_covered(actor: Actor, place: str) -> None:
    if not actor.covers(place):
        raise OutsideClientArea(
            f"the key of {actor.name} does not cover place {place}", place=place
        )


def _conflict(expected: int, current: int) -> VersionConflict:
    return VersionConflict(
        f"the organization is at version {current}, not {expected}; reload and retry",
        current_version=current,
        expected_version=expected,
    )


def _duplicate(taken: IdentifierTaken) -> DuplicateIdentifier:
    """The refusal of an organization whose credit code or filing number is taken."""
    if taken.holder is None:  # the holder went again meanwhile
        return DuplicateIdentifier(
            "another organization took this credit code or filing number meanwhile"
        )
    verb = "registered to" if taken.what == "credit code" else "held by"
    return DuplicateIdentifier(
        f"{taken.what} {taken.value} is already {verb} {taken.holder}",
        organization_id=taken.holder,
    )
