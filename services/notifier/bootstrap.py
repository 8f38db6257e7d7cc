"""Composition root of the notifier: the scanner, the projection and the queries it serves.

`create_app` (main.py) calls `bootstrap` in the FastAPI lifespan on the platform's event store;
the CLI calls it on an engine of its own. Nothing else builds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.notifier.app.clock import SHANGHAI, Clock
from services.notifier.app.queries import NotifierQueries
from services.notifier.app.scan import Scanner
from services.notifier.consumers.registry import RegistryProjection
from services.notifier.domain.zombie import ZombieConfig
from shared.eventstore.codec import EventCodec
from shared.eventstore.sql import SqlEventStore

CODEC = EventCodec("notifier", SHANGHAI)


@dataclass(frozen=True)
class Notifier:
    """The notifier's parts, as the routes, the schedule and the CLI use them."""

    scanner: Scanner
    queries: NotifierQueries
    config: ZombieConfig
    clock: Clock


def bootstrap(*, store: SqlEventStore, config: ZombieConfig, clock: Clock) -> Notifier:
    return Notifier(
        scanner=Scanner(store=store, config=config, codec=CODEC),
        queries=NotifierQueries(engine=store.engine, config=config),
        config=config,
        clock=clock,
    )


def projection(config: ZombieConfig, max_event_bytes: int) -> RegistryProjection:
    """The notifier's consumer of REGISTRY, clearing flags with the same codec as the scan."""
    return RegistryProjection(config, CODEC, max_event_bytes)
