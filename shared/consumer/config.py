"""How a consumer runner is tuned, and the metrics every part of it reports."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import Counter, Gauge

from shared.settings import ServiceSettings

LAG = Gauge("socorg_consumer_lag_messages", "messages not yet applied", ["consumer"])
APPLIED = Counter("socorg_consumer_applied_total", "messages applied", ["consumer"])
PARKED = Counter("socorg_consumer_dead_lettered_total", "messages dead-lettered", ["consumer"])


@dataclass(frozen=True)
class ConsumerConfig:
    batch_size: int = 256
    fetch_timeout: float = 1.0
    max_attempts: int = 5
    backoff_initial: float = 0.2
    backoff_max: float = 5.0
    ack_wait: float = 60.0
    stall_after: float = 120.0  # lagging with no progress for this long → not ready
    lease_ttl: float = 10.0  # one replica consumes; another takes over this long after it dies

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> ConsumerConfig:
        # nats-py's fetch, once it has waited for a first message, waits for the rest of the
        # batch until its timeout: under a trickle the timeout is the lag.
        return cls(fetch_timeout=settings.consumer_max_wait_ms / 1000)
