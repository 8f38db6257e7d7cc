"""The webhooks' Prometheus metrics (docs/notifier.md, Webhooks, says what each tells)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

DELIVERIES = Counter(
    "socorg_webhook_deliveries_total",
    "webhook attempts by what followed: delivered (2xx), retry, dead (schedule ran out), "
    "gone (410: subscription disabled)",
    ["outcome"],
)
ATTEMPT_SECONDS = Histogram(
    "socorg_webhook_attempt_duration_seconds",
    "time from sending a webhook to the receiver's answer (or the timeout)",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
IS_SENDER = Gauge(
    "socorg_webhook_sender", "1 while this process holds the lease to send webhook deliveries"
)
