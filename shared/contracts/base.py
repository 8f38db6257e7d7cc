"""Event contracts: a type name, a schema version and a typed model of `data`, defined once.

Producers build `data` with the model; consumers parse it with the same model. Adding an
optional field is compatible; anything else bumps `schema_version` and registers an upcaster
from the old version, so stored events (never rewritten) are read in the newest shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict


class EventData(BaseModel):
    """Base of every event payload: immutable; unknown fields ignored (newer producers)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


M = TypeVar("M", bound=EventData)
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class EventContract(Generic[M]):
    producer: str
    name: str
    schema_version: int
    model: type[M]
    summary: str
    # the payload field holding the civil date of the act the event records, if it has one
    act_date_field: str | None = None

    @property
    def qualified(self) -> str:
        return f"{self.producer}.{self.name}"

    def parse(self, data: dict[str, Any], schema_version: int | None = None) -> M:
        """Parse stored or received data, upcasting older schema versions first."""
        version = self.schema_version if schema_version is None else schema_version
        if version > self.schema_version:
            raise UnknownSchemaVersion(self.qualified, version)
        while version < self.schema_version:
            step = _UPCASTERS.get((self.qualified, version))
            if step is None:
                raise UnknownSchemaVersion(self.qualified, version)
            data, version = step(data), version + 1
        return self.model.model_validate(data)

    def act_date(self, payload: M) -> date:
        """The date of the act `payload` records, as its contract declares."""
        if self.act_date_field is None:
            raise TypeError(f"{self.qualified} declares no act date")
        day: date = getattr(payload, self.act_date_field)
        return day

    def dump(self, payload: M) -> dict[str, Any]:
        if not isinstance(payload, self.model):
            raise TypeError(f"{self.qualified} takes {self.model.__name__}")
        return payload.model_dump(mode="json", exclude_none=True)


class UnknownEventType(LookupError):
    pass


class UnknownSchemaVersion(LookupError):
    def __init__(self, qualified: str, version: int) -> None:
        super().__init__(f"{qualified} has no schema version {version} this code can read")


_CONTRACTS: dict[str, EventContract[Any]] = {}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def contract(
    producer: str, name: str, version: int, summary: str, *, act_date: str | None = None
) -> Callable[[type[M]], type[M]]:
    """Class decorator: register a payload model as the contract of one event type; `act_date`
    names the field dating the act it records (declared once, here, for every reader). The
    producer is checked against the services' specs when the catalog loads them
    (`check_producers`): a service's own modules define contracts while it is being found, so
    the catalog cannot be asked here."""

    def register(model: type[M]) -> type[M]:
        if act_date is not None and act_date not in model.model_fields:
            raise ValueError(f"{producer}.{name} has no field {act_date!r}")
        c = EventContract(producer, name, version, model, summary, act_date)
        if c.qualified in _CONTRACTS:
            raise ValueError(f"{c.qualified} is defined twice")
        _CONTRACTS[c.qualified] = c
        model.__event_contract__ = c  # type: ignore[attr-defined]
        return model

    return register


def check_producers(owners: Mapping[str, str]) -> None:
    """Refuse a contract whose producer is not the service whose spec names its module
    (`owners`: contracts module → service), e.g. a misspelt producer."""
    wrong = sorted(
        f"{c.qualified} (in {c.model.__module__}, of {owners[c.model.__module__]})"
        for c in _CONTRACTS.values()
        if c.model.__module__ in owners and c.producer != owners[c.model.__module__]
    )
    if wrong:
        raise ValueError(f"contracts of an unknown producer: {', '.join(wrong)}")


def upcaster(producer: str, name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    def register(fn: Upcaster) -> Upcaster:
        _UPCASTERS[(f"{producer}.{name}", from_version)] = fn
        return fn

    return register


def contract_of(model: type[EventData] | EventData) -> EventContract[Any]:
    c = getattr(model, "__event_contract__", None)
    if c is None:
        raise UnknownEventType(f"{model!r} is not a registered event contract")
    return c  # type: ignore[no-any-return]


def get_contract(producer: str, name: str) -> EventContract[Any]:
    try:
        return _CONTRACTS[f"{producer}.{name}"]
    except KeyError:
        raise UnknownEventType(f"no contract for {producer}.{name}") from None


def all_contracts(producer: str | None = None) -> list[EventContract[Any]]:
    return [c for c in _CONTRACTS.values() if producer is None or c.producer == producer]
