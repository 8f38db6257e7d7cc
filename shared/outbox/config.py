"""How the relay runs: batch size, timings, its stream's replicas and duplicate window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared.settings import ServiceSettings


@dataclass(frozen=True)
class RelayConfig:
    batch_size: int = 1000
    idle_poll: float = 0.05
    # After a batch that emptied the outbox, wait this long before the next read: under a
    # steady trickle of writes each cycle then carries the events of that while (not one
    # event per cycle, with its reads and checkpoint), for this much more latency.
    linger: float = 0.05
    ack_timeout: float = 10.0
    # How often the relay tries an event NATS refused again (or notices it was skipped).
    blocked_retry: float = 30.0
    lease_ttl: float = 10.0
    stream_replicas: int = 1
    # The longest relay or NATS outage designed for; see docs/operations.md.
    duplicate_window: timedelta = timedelta(hours=24)

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> RelayConfig:
        return cls(
            batch_size=settings.relay_batch_size,
            idle_poll=settings.relay_idle_poll_ms / 1000,
            linger=settings.relay_linger_ms / 1000,
            duplicate_window=timedelta(hours=settings.relay_duplicate_window_hours),
            stream_replicas=settings.stream_replicas,
            blocked_retry=settings.relay_blocked_retry_seconds,
        )
