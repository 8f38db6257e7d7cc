"""Composition root of the notifier: the scans, the projection and the queries it serves.

`create_app` (main.py) calls `bootstrap` in the FastAPI lifespan on the platform's event store;
the CLI calls it on an engine of its own. Nothing else builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from services.notifier.adapters.webhook_http import DnsResolver, HttpxSender
from services.notifier.app.day_scan import DayScan
from services.notifier.app.deliveries import Deliveries
from services.notifier.app.delivery import Deliverer
from services.notifier.app.queries import NotifierQueries
from services.notifier.app.reminder_queries import ReminderQueries
from services.notifier.app.reminders import ReminderScan
from services.notifier.app.scan import Scanner
from services.notifier.app.subscriptions import Subscriptions
from services.notifier.app.webhook_config import WebhookConfig
from services.notifier.app.webhook_metrics import IS_SENDER
from services.notifier.app.webhook_ports import Resolver, WebhookSender
from services.notifier.consumers.registry import RegistryProjection
from services.notifier.domain.reminders import ReminderConfig
from services.notifier.domain.zombie import ZombieConfig
from shared.clock import SHANGHAI, Clock
from shared.eventstore.codec import EventCodec
from shared.eventstore.sql import SqlEventStore
from shared.outbox.lease import Lease, this_process
from shared.outbox.reader import OutboxReader
from shared.outbox.worker import LeasedWorker

CODEC = EventCodec("notifier", SHANGHAI)
SCAN_LEASE_TTL = timedelta(minutes=5)  # renewed every third of it while a scan runs


@dataclass(frozen=True)
class Notifier:
    """The notifier's parts, as the routes, the schedule and the CLI use them."""

    scanner: Scanner
    day_scan: DayScan
    queries: NotifierQueries
    reminders: ReminderQueries
    config: ZombieConfig
    clock: Clock
    subscriptions: Subscriptions
    deliveries: Deliveries
    worker: LeasedWorker  # the webhook deliveries


def bootstrap(
    *,
    store: SqlEventStore,
    config: ZombieConfig,
    clock: Clock,
    webhooks: WebhookConfig | None = None,
    reminders: ReminderConfig | None = None,
    sender: WebhookSender | None = None,
    resolver: Resolver | None = None,
) -> Notifier:
    webhooks = webhooks or WebhookConfig()
    resolver = resolver or DnsResolver()
    holder = this_process()
    deliverer = Deliverer(
        engine=store.engine,
        reader=OutboxReader(store, CODEC.producer),  # bodies as the relay publishes them
        sender=sender or HttpxSender(),
        resolver=resolver,
        config=webhooks,
    )
    worker = LeasedWorker(
        name="webhook deliveries",
        lease=Lease(
            store.engine, "webhooks:notifier", holder, timedelta(seconds=webhooks.lease_ttl)
        ),
        send=deliverer.send_due,
        poll=webhooks.poll,
        on_lead=IS_SENDER.set,
    )
    scanner = Scanner(store=store, config=config, codec=CODEC)
    reminder_scan = ReminderScan(
        store=store, zombie=config, config=reminders or ReminderConfig(), codec=CODEC
    )
    return Notifier(
        scanner=scanner,
        day_scan=DayScan(
            scanner,
            reminder_scan,
            Lease(store.engine, "scan:notifier", holder, SCAN_LEASE_TTL),
            clock,
        ),
        queries=NotifierQueries(engine=store.engine, config=config),
        reminders=ReminderQueries(engine=store.engine),
        config=config,
        clock=clock,
        subscriptions=Subscriptions(engine=store.engine, config=webhooks, resolver=resolver),
        deliveries=Deliveries(engine=store.engine),
        worker=worker,
    )


def projection(config: ZombieConfig, max_event_bytes: int) -> RegistryProjection:
    """The notifier's consumer of REGISTRY, clearing flags with the same codec as the scan."""
    return RegistryProjection(config, CODEC, max_event_bytes)
