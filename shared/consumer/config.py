"""How a consumer runner is tuned, and the metrics every part of it reports."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import Counter, Gauge

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
