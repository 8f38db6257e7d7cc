"""The relay's Prometheus metrics (docs/operations.md says what each tells an operator)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

LAG_POSITIONS = Gauge("socorg_relay_lag_positions", "events not yet published", ["producer"])
LAG_SECONDS = Gauge("socorg_relay_lag_seconds", "age of the oldest unpublished event", ["producer"])
PUBLISHED = Counter(
    "socorg_relay_published_total", "events acknowledged by JetStream", ["producer"]
)
IS_LEADER = Gauge(
    "socorg_relay_leader", "1 while this process is the publishing relay", ["producer"]
)
BLOCKED = Gauge(
    "socorg_relay_blocked",
    "1 while the relay holds at an event NATS refuses (socorg relay-status)",
    ["producer"],
)
BLOCKED_POSITION = Gauge(
    "socorg_relay_blocked_position",
    "position of the event the relay holds at (0: none)",
    ["producer"],
)
