"""Composition root of the evaluation: the investigation handlers, the queries, the projection.

`create_app` (main.py) calls `bootstrap` in the FastAPI lifespan on the platform's event store;
the spec builds the projection once the platform is up. Nothing else builds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.evaluation.adapters.records import SqlRecords
from services.evaluation.adapters.store import SqlEvaluationStore
from services.evaluation.app.handlers import InvestigationHandlers
from services.evaluation.app.queries import EvaluationQueries
from services.evaluation.consumers.registry import RegistryProjection
from services.evaluation.domain.eligibility import LocalitySwitches
from shared.clock import Clock
from shared.eventstore.sql import SqlEventStore
from shared.rules.reporting import NATIONAL


@dataclass(frozen=True)
class Evaluation:
    """The evaluation's parts, as the routes use them."""

    handlers: InvestigationHandlers
    queries: EvaluationQueries


def bootstrap(*, store: SqlEventStore, switches: LocalitySwitches, clock: Clock) -> Evaluation:
    records = SqlRecords(store.engine)
    return Evaluation(
        handlers=InvestigationHandlers(
            store=SqlEvaluationStore(store), records=records, clock=clock
        ),
        queries=EvaluationQueries(
            records=records, switches=switches, reporting=NATIONAL, clock=clock
        ),
    )


def projection() -> RegistryProjection:
    """The evaluation's consumer of REGISTRY."""
    return RegistryProjection()
