"""The webhooks' tables: subscriptions, their deliveries (an outbox, one row per event and
subscription, written with the event) and the log of every attempt."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from services.notifier.adapters.tables import metadata
from shared.tables import BigId, UtcDateTime

subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("owner", String(64), nullable=False),  # the API key's client
    Column("url", String(2000), nullable=False),
    Column("event_types", JSON, nullable=False),
    Column("place", String(12)),
    Column("description", String(300)),
    # Kept as given: the service signs with it (a hash would not do).
    Column("secret", String(200), nullable=False),
    Column("previous_secret", String(200)),
    Column("previous_until", UtcDateTime()),
    Column("active", Boolean, nullable=False),
    Column("disabled_reason", String(300)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_webhook_subscriptions_owner", "owner"),
)

# state: pending (to send at next_attempt_at), delivered (a 2xx: never sent again), dead (the
# schedule ran out, or the subscription answered 410 Gone); a redelivery makes a dead one
# pending again with a new round of the schedule (`step` back to 0, `attempts` goes on).
deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        String(36),
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("division", String(6)),
    Column("state", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("step", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime()),
    Column("last_status", Integer),
    Column("last_error", String(300)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_event"),
    Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
    sqlite_autoincrement=True,
)

attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "delivery_id",
        BigId,
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("subscription_id", String(36), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("status", Integer),
    Column("error", String(300)),
    Column("latency_ms", Integer, nullable=False),
    Column("response", Text),  # the first KiB of the answer's body
    Index("ix_webhook_attempts_subscription", "subscription_id", "id"),
    Index("ix_webhook_attempts_delivery", "delivery_id"),
    sqlite_autoincrement=True,
)
