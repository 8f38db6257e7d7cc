"""Composition root of the evaluation: its handlers and queries (investigations, the grading
workflow), the frameworks and thresholds it scores with, the sender of ratings to the
registry, the projection.

`create_app` (main.py) calls `bootstrap` in the FastAPI lifespan on the platform's event store;
the spec builds the projection once the platform is up. Nothing else builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial

from services.evaluation.adapters.catalogue import load_catalogue
from services.evaluation.adapters.publicity_rows import SqlPublicityBoard
from services.evaluation.adapters.reaction_rows import SqlReactionIndex
from services.evaluation.adapters.records import SqlRecords
from services.evaluation.adapters.registry_records import SqlRegistryRecords
from services.evaluation.adapters.store import SqlEvaluationStore
from services.evaluation.adapters.workflow_rows import SqlWorkflowIndex
from services.evaluation.app.follow_ups import FollowUpHandlers
from services.evaluation.app.handlers import InvestigationHandlers
from services.evaluation.app.ports import RegistryClient
from services.evaluation.app.publicity import PublicityQueries
from services.evaluation.app.queries import EvaluationQueries
from services.evaluation.app.reaction_handlers import ReactionHandlers
from services.evaluation.app.registry_recorder import RecorderConfig, RegistryRecorder
from services.evaluation.app.registry_records import RegistryRecordDesk
from services.evaluation.app.round_handlers import Defaults, WorkflowHandlers
from services.evaluation.app.round_queries import WorkflowQueries
from services.evaluation.consumers.registry import RegistryProjection
from services.evaluation.domain.catalogue import Catalogue
from services.evaluation.domain.eligibility import LocalitySwitches, eligibility
from services.evaluation.domain.follow_up import DEFAULT_SHARE
from shared.clock import Clock
from shared.eventstore.sql import SqlEventStore
from shared.outbox.lease import Lease, this_process
from shared.outbox.worker import LeasedWorker
from shared.rules.reporting import NATIONAL

EXPIRY_LEASE = "scan:evaluation-expiry"  # one replica scans at a time (docs/evaluation.md)
EXPIRY_LEASE_TTL = timedelta(minutes=5)  # renewed every third of it while a scan runs


@dataclass(frozen=True)
class Evaluation:
    """The evaluation's parts, as the routes use them."""

    handlers: InvestigationHandlers
    queries: EvaluationQueries
    workflow: WorkflowHandlers
    rounds: WorkflowQueries
    catalogue: Catalogue
    recorder: LeasedWorker  # the sender of ratings to the registry
    registry_records: RegistryRecordDesk
    reactions: ReactionHandlers
    publicity: PublicityQueries
    follow_ups: FollowUpHandlers


def bootstrap(
    *,
    store: SqlEventStore,
    switches: LocalitySwitches,
    clock: Clock,
    defaults: Defaults,
    registry: RegistryClient,
    recorder: RecorderConfig | None = None,
    catalogue: Catalogue | None = None,
    registry_link: str = "",
    follow_up_share: Decimal = DEFAULT_SHARE,
) -> Evaluation:
    records = SqlRecords(store.engine)
    registry_records = SqlRegistryRecords(store.engine)
    config = recorder or RecorderConfig()
    holder = this_process()
    sender = LeasedWorker(
        name="registry records",
        lease=Lease(
            store.engine, "registry:evaluation", holder, timedelta(seconds=config.lease_ttl)
        ),
        send=RegistryRecorder(records=registry_records, registry=registry, config=config).send_due,
        poll=config.poll,
    )
    evaluation_store = SqlEvaluationStore(store)
    index = SqlWorkflowIndex(store.engine)
    reactions = SqlReactionIndex(store.engine)
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
            registry_records=registry_records,
        ),
        catalogue=catalogue,
        recorder=sender,
        registry_records=RegistryRecordDesk(records=registry_records, kick=sender.kick),
        reactions=ReactionHandlers(
            store=evaluation_store,
            index=reactions,
            clock=clock,
            lease=Lease(store.engine, EXPIRY_LEASE, holder, EXPIRY_LEASE_TTL),
        ),
        publicity=PublicityQueries(
            board=SqlPublicityBoard(store.engine), clock=clock, registry_url=registry_link
        ),
        follow_ups=FollowUpHandlers(
            store=evaluation_store,
            records=records,
            index=reactions,
            clock=clock,
            share=follow_up_share,
        ),
    )


def projection(max_event_bytes: int) -> RegistryProjection:
    """The evaluation's consumer of REGISTRY (it raises reactions as events of its own)."""
    return RegistryProjection(max_event_bytes)
