"""What a consuming service implements (`Projection`) and what it is handed (`Delivered`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from nats.aio.msg import Msg
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

import shared.contracts  # noqa: F401 - registers every contract a message may name
from shared.contracts.base import EventContract, EventData, get_contract
from shared.outbox.envelope import NO_PLACE, SPECVERSION


@dataclass(frozen=True)
class Delivered:
    """One received CloudEvent: its envelope, the contract of its type, its stream sequence.

    `data` is the payload parsed (and upcast from older schema versions) by the contract, on
    first read and then kept: a projection that reads only the envelope's attributes pays
    nothing for it, and a payload the contract refuses fails that event's apply like any other
    error (retried, then dead-lettered).
    """

    envelope: dict[str, Any]
    contract: EventContract[Any]
    subject: str  # the NATS subject
    stream_seq: int

    @classmethod
    def of(cls, envelope: Any, subject: str, stream_seq: int) -> Delivered:
        """Check a decoded envelope is a socorg CloudEvent of a known type."""
        if not isinstance(envelope, dict):
            raise ValueError("message is not a CloudEvent envelope")
        if envelope.get("specversion") != SPECVERSION:
            raise ValueError(f"unsupported CloudEvents specversion {envelope.get('specversion')!r}")
        return cls(envelope, contract_for(envelope.get("type")), subject, stream_seq)

    @property
    def id(self) -> str:
        return str(self.envelope["id"])

    @property
    def producer(self) -> str:
        return self.contract.producer

    @property
    def event_type(self) -> str:
        return self.contract.name

    @property
    def stream_id(self) -> str:
        """The aggregate the event belongs to (the CloudEvent `subject`)."""
        return str(self.envelope.get("subject", ""))

    @property
    def division(self) -> str:
        return str(self.envelope.get("division") or NO_PLACE)

    @cached_property
    def data(self) -> EventData:
        """The payload as the contract's model, in its newest schema version."""
        version = self.envelope.get("schemaversion")
        parsed: EventData = self.contract.parse(
            self.envelope.get("data") or {}, None if version is None else int(version)
        )
        return parsed


_BY_TYPE: dict[str, EventContract[Any]] = {}


def contract_for(ce_type: object) -> EventContract[Any]:
    """The contract of a CloudEvent `type` (`socorg.<producer>.<event_type>`), remembered."""
    found = _BY_TYPE.get(ce_type) if isinstance(ce_type, str) else None
    if found is not None:
        return found
    parts = str(ce_type).split(".")
    if len(parts) != 3 or parts[0] != "socorg":
        raise ValueError(f"not a socorg event type: {ce_type!r}")
    found = _BY_TYPE[str(ce_type)] = get_contract(parts[1], parts[2])
    return found


def decode(msg: Msg, seq: int | None = None) -> Delivered:
    """The message as a `Delivered`; `seq` its stream sequence if already known."""
    envelope = json.loads(msg.data)
    return Delivered.of(envelope, msg.subject, stream_seq(msg) if seq is None else seq)


def stream_seq(msg: Msg) -> int:
    """A JetStream message's stream sequence, read off its reply subject
    (`$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.…`): nats-py's `metadata` builds
    all of it, a timestamp included, and that cost a fifth of a batch's decoding."""
    tokens = (msg.reply or "").split(".")
    if len(tokens) == _V1_ACK_TOKENS and tokens[0] == "$JS" and tokens[1] == "ACK":
        return int(tokens[5])
    return int(msg.metadata.sequence.stream)  # the newer form (with a domain): nats-py's own


_V1_ACK_TOKENS = 9


class Projection(Protocol):
    """What a consuming service implements: its tables and how events change them.

    Subclass it and override `apply`, `apply_batch` or both: each defaults to the other
    (`apply_batch` applying the events one by one, `apply` a batch of one); a runner is
    refused a projection that overrides neither. Override `apply_batch` where a batch can
    be applied at once (e.g. one multi-row statement). The runner applies each fetched batch
    with `apply_batch` in one transaction and, if that fails, the events one by one with
    `apply` (each in a savepoint) to find the failing one. Both must give the same result.
    """

    name: str  # durable consumer name and checkpoint key
    stream: str  # e.g. "REGISTRY"
    filter_subjects: Sequence[str]
    tables: Sequence[Table]  # the live tables it owns (created by the runner if missing)

    async def apply(
        self, conn: AsyncConnection, event: Delivered, tables: Mapping[str, Table]
    ) -> None:
        """Apply one event to `tables` (the live ones, or a rebuild's shadow copies)."""
        await self.apply_batch(conn, (event,), tables)

    async def apply_batch(
        self, conn: AsyncConnection, events: Sequence[Delivered], tables: Mapping[str, Table]
    ) -> None:
        """Apply events in stream order, all in the caller's transaction."""
        for event in events:
            await self.apply(conn, event, tables)
