"""Command handlers: load the stream, call one method, append the event + read model at once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from services.registry.adapters.read_model import domicile_of, holder_of, project
from services.registry.adapters.streams import STREAM_PREFIX, payloads, stream_of
from services.registry.app.clock import Clock
from services.registry.app.errors import (
    DuplicateIdentifier,
    OrganizationNotFound,
    OutsideClientArea,
    VersionConflict,
)
from services.registry.app.timeline import act_date, start_of
from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.organization import Organization
from services.registry.domain.places import Places
from shared.contracts import contract_of
from shared.contracts.registry import RegistryEvent
from shared.eventstore import EventMetadata, NewEvent, WrongExpectedVersion
from shared.eventstore.sql import SqlEventStore
from shared.http.idempotency import stored_write, written_mark

Command = Callable[[Organization], RegistryEvent]


@dataclass(frozen=True)
class Actor:
    """Who acts: the calling client, the area it may write, and the request it answers."""

    id: str
    name: str
    covers: Callable[[str], bool]
    correlation_id: str | None = None


class RegistryHandlers:
    def __init__(self, *, store: SqlEventStore, places: Places, clock: Clock) -> None:
        self.store = store
        self.places = places
        self.clock = clock

    def day(self, given: date | None, field: str = "date") -> date:
        """The act's date: as given, else today; never after today."""
        today = self.clock.today()
        if given is None:
            return today
        if given > today:
            raise InvalidCommand(
                Refusal.DATE_IN_FUTURE, f"{field} {given} is after today ({today})"
            )
        return given

    async def load(self, organization_id: str) -> Organization:
        events = await self.store.read_stream(stream_of(organization_id))
        if not events:
            raise OrganizationNotFound(f"no organization {organization_id} on the register")
        return Organization.replay(organization_id, payloads(events))

    async def create(self, actor: Actor, command: Command) -> Organization:
        """成立登记 or 备案 of a new organization under a fresh id."""
        if (done := await self._stored()) is not None:
            return done
        org = Organization(uuid.uuid4().hex)
        return await self._commit(actor, org, command(org), expected_version=0)

    async def act(
        self,
        actor: Actor,
        organization_id: str,
        command: Command,
        *,
        expected_version: int | None = None,
    ) -> Organization:
        """Any command on an existing organization, at the version the caller saw if given."""
        if (done := await self._stored()) is not None:
            return done
        org = await self.load(organization_id)
        self._require_covered(actor, domicile_of(org))
        if expected_version is not None and expected_version != org.version:
            raise _conflict(expected_version, org.version)
        return await self._commit(actor, org, command(org), expected_version=org.version)

    async def _stored(self) -> Organization | None:
        """A retry of a request whose write is stored (its answer was lost): the organization
        as that write left it, answered again instead of writing twice."""
        if (written := stored_write()) is None:
            return None
        stream, version = written
        events = await self.store.read_stream(stream, to_version=version)
        return Organization.replay(stream.removeprefix(STREAM_PREFIX), payloads(events))

    async def _commit(
        self, actor: Actor, org: Organization, event: RegistryEvent, *, expected_version: int
    ) -> Organization:
        after = org.apply(event)
        domicile = domicile_of(after)
        self._require_covered(actor, domicile)
        contract = contract_of(event)
        new = NewEvent(
            type=contract.name,
            data=contract.dump(event),
            schema_version=contract.schema_version,
            occurred_at=start_of(act_date(event)),
        )
        meta = EventMetadata(client=actor.id, actor=actor.name, correlation_id=actor.correlation_id)
        try:
            async with self.store.unit_of_work() as uow:
                # the read model first: an identifier held by another organization fails on
                # its unique key (on PostgreSQL sent with the append and the COMMIT)
                await project(uow, after, event, self.places)
                stream = stream_of(after.organization_id)
                uow.append(stream, expected_version, [new], metadata=meta, division=domicile[:6])
                # under an Idempotency-Key, its row says "written" if and only if this commits
                mark = written_mark(uow.connection.dialect.name, stream, expected_version + 1)
                if mark is not None:
                    await uow.write(*mark)
        except WrongExpectedVersion as exc:
            raise _conflict(exc.expected, exc.current) from exc
        except IntegrityError as exc:
            raise await self._duplicate(after) from exc
        return after

    async def _duplicate(self, org: Organization) -> DuplicateIdentifier:
        """The refusal of an organization whose credit code or filing number is taken."""
        async with self.store.engine.connect() as conn:
            if org.credit_code and (other := await holder_of(conn, credit_code=org.credit_code)):
                return DuplicateIdentifier(
                    f"credit code {org.credit_code} is already registered to {other}",
                    organization_id=other,
                )
            number = org.filing_number
            if number and (other := await holder_of(conn, filing_number=number)):
                return DuplicateIdentifier(
                    f"filing number {number} is already held by {other}", organization_id=other
                )
        return DuplicateIdentifier(  # the holder went again meanwhile
            "another organization took this credit code or filing number meanwhile"
        )

    @staticmethod
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
