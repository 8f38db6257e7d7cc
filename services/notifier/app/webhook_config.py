"""How webhooks are sent: the retry schedule and its jitter, the timeout of an attempt, the
overlap of a secret rotation, the addresses allowed, and the worker's pace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from services.notifier.domain.addresses import Network
from services.notifier.domain.retries import STANDARD_SCHEDULE


@dataclass(frozen=True)
class WebhookConfig:
    schedule: tuple[float, ...] = STANDARD_SCHEDULE
    jitter: float = 0.1
    timeout: float = 10.0
    rotation_overlap: timedelta = timedelta(hours=24)
    allow_loopback: bool = False  # development only
    allowed_networks: tuple[Network, ...] = ()
    poll: float = 1.0
    batch_size: int = 50
    concurrency: int = 16
    lease_ttl: float = 10.0
