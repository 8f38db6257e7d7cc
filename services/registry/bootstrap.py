"""Composition root of the registry: its handlers and queries over one `Register` (app/ports.py).

`create_app` (main.py) calls `bootstrap` in the FastAPI lifespan with the SQL adapters; unit
tests call it with the in-memory ones (tests/unit/registry/fakes.py). Nothing else builds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.registry.adapters.register import SqlRegister
from services.registry.app.handlers import RegistryHandlers
from services.registry.app.ports import Register
from services.registry.app.queries import RegistryQueries
from services.registry.domain.places import Places
from shared.clock import Clock
from shared.eventstore.sql import SqlEventStore
from shared.rules.reporting import NATIONAL, ReportingConfig


@dataclass(frozen=True)
class Registry:
    """The registry's parts, as the routes and the import use them."""

    handlers: RegistryHandlers
    queries: RegistryQueries
    register: Register
    places: Places
    clock: Clock
    reporting: ReportingConfig = NATIONAL  # the locality's annual-report rules


def bootstrap(
    *, register: Register, places: Places, clock: Clock, reporting: ReportingConfig = NATIONAL
) -> Registry:
    return Registry(
        handlers=RegistryHandlers(register=register, places=places, clock=clock),
        queries=RegistryQueries(register=register, clock=clock),
        register=register,
        places=places,
        clock=clock,
        reporting=reporting,
    )


def sql_registry(
    store: SqlEventStore, places: Places, clock: Clock, reporting: ReportingConfig = NATIONAL
) -> Registry:
    """The registry on the platform's SQL event store and the read model beside it."""
    return bootstrap(
        register=SqlRegister(store, places, reporting),
        places=places,
        clock=clock,
        reporting=reporting,
    )
