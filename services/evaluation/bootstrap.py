"""Composition root of the evaluation: its handlers and queries (investigations, the grading
workflow), the frameworks and thresholds it scores with, the projection.

`create_app` (main.py) calls `bootstrap` in the FastAPI lifespan on the platform's event store;
the spec builds the projection once the platform is up. Nothing else builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from services.evaluation.adapters.catalogue import load_catalogue
from services.evaluation.adapters.records import SqlRecords
from services.evaluation.adapters.store import SqlEvaluationStore
from services.evaluation.adapters.workflow_rows import SqlWorkflowIndex
from services.evaluation.app.handlers import InvestigationHandlers
from services.evaluation.app.queries import EvaluationQueries
from services.evaluation.app.round_handlers import Defaults, WorkflowHandlers
from services.evaluation.app.round_queries import WorkflowQueries
from services.evaluation.consumers.registry import RegistryProjection
from services.evaluation.domain.catalogue import Catalogue
from services.evaluation.domain.eligibility import LocalitySwitches, eligibility
from shared.clock import Clock
from shared.eventstore.sql import SqlEventStore
from shared.rules.reporting import NATIONAL


@dataclass(frozen=True)
class Evaluation:
    """The evaluation's parts, as the routes use them."""

    handlers: InvestigationHandlers
    queries: EvaluationQueries
    workflow: WorkflowHandlers
    rounds: WorkflowQueries
    catalogue: Catalogue


def bootstrap(
    *,
    store: SqlEventStore,
    switches: LocalitySwitches,
    clock: Clock,
    defaults: Defaults,
    catalogue: Catalogue | None = None,
) -> Evaluation:
    records = SqlRecords(store.engine)
    evaluation_store = SqlEvaluationStore(store)
    index = SqlWorkflowIndex(store.engine)
    catalogue = catalogue or load_catalogue()
    catalogue.framework(defaults.framework), catalogue.grades(defaults.thresholds)  # at start
    workflow = WorkflowHandlers(
        store=evaluation_store,
        records=records,
        index=index,
        catalogue=catalogue,
        judge=partial(eligibility, locality_switches=switches, reporting=NATIONAL),
        defaults=defaults,
        clock=clock,
    )
    return Evaluation(
        handlers=InvestigationHandlers(store=evaluation_store, records=records, clock=clock),
        queries=EvaluationQueries(
            records=records, switches=switches, reporting=NATIONAL, clock=clock
        ),
        workflow=workflow,
        rounds=WorkflowQueries(
            rounds=workflow.rounds,
            applications=workflow.applications,
            index=index,
            catalogue=catalogue,
            clock=clock,
        ),
        catalogue=catalogue,
    )


def projection() -> RegistryProjection:
    """The evaluation's consumer of REGISTRY."""
    return RegistryProjection()
