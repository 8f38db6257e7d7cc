"""The delivery worker: due deliveries sent, one POST each, signed per Standard Webhooks, with
the CloudEvent the relay publishes on NOTIFIER as the body (`webhook-id` = its id).

Deliveries are rows: a worker killed at any point leaves them pending and the next one (after
a restart, or another replica) sends them. The rounds run in a shared.outbox.worker, under a
lease that lets one replica send at a time. A delivery answered 2xx is finished in the same
transaction as its attempt's log row and is never sent again; one killed between the
receiver's 2xx and that commit is sent again, with the same `webhook-id`, which a receiver
deduplicates on.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifier.adapters import deliveries_sql, subscriptions_sql
from services.notifier.adapters.deliveries_sql import Attempt, Due
from services.notifier.app.urls import UrlRefused, check_url
from services.notifier.app.webhook_config import WebhookConfig
from services.notifier.app.webhook_metrics import ATTEMPT_SECONDS, DELIVERIES
from services.notifier.app.webhook_ports import Answer, Resolver, WebhookSender
from services.notifier.domain import signing
from services.notifier.domain.retries import after_attempt, retry_after
from services.notifier.domain.subscriptions import Subscription
from shared.db import WRITE
from shared.outbox.reader import OutboxReader
from shared.outbox.worker import Leading

log = logging.getLogger("socorg.notifier.webhooks")


class Deliverer:
    """A round of the delivery worker (shared.outbox.worker runs the rounds under the lease)."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        reader: OutboxReader,
        sender: WebhookSender,
        resolver: Resolver,
        config: WebhookConfig,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine.execution_options(**WRITE)
        self.reader = reader
        self.sender = sender
        self.resolver = resolver
        self.config = config
        self.rng = rng or random.Random()

    async def send_due(self, leading: Leading) -> int:
        """Send the deliveries due now, several at a time; how many were tried."""
        async with self.engine.connect() as conn:
            due = await deliveries_sql.due(conn, datetime.now(UTC), self.config.batch_size)
            subs = await subscriptions_sql.by_ids(conn, sorted({d.subscription_id for d in due}))
        if not due:
            return 0
        bodies = await self.reader.read_ids(sorted({d.event_id for d in due}))
        gate = asyncio.Semaphore(self.config.concurrency)

        async def one(d: Due) -> None:
            async with gate:
                if leading():  # the lease lost meanwhile, or a stop: the next holder sends it
                    body = bodies[d.event_id].envelope
                    await self._attempt(d, subs[d.subscription_id], body)

        await asyncio.gather(*(one(d) for d in due if d.event_id in bodies))
        return len(due)

    async def _attempt(self, d: Due, sub: Subscription, body: bytes) -> None:
        now = datetime.now(UTC)
        answer = await self._post(sub, d.event_id, body, now)
        number = d.attempts + 1
        step = d.step + 1
        asked = retry_after(answer.retry_after, datetime.now(UTC))
        after = after_attempt(
            status=answer.status,
            step=step,
            schedule=self.config.schedule,
            jitter=self.config.jitter,
            asked=asked,
            rng=self.rng,
        )
        attempt = Attempt(
            d.id,
            d.subscription_id,
            number,
            now,
            answer.status,
            answer.error,
            answer.latency_ms,
            answer.excerpt,
        )
        done = datetime.now(UTC)
        values: dict[str, object] = {"last_status": answer.status, "last_error": answer.error}
        if after.outcome == "retry":
            assert after.delay is not None
            values["next_attempt_at"] = done + timedelta(seconds=after.delay)
        else:
            state = "delivered" if after.outcome == "delivered" else "dead"
            values |= {"state": state, "next_attempt_at": None, "finished_at": done}
        async with self.engine.begin() as conn:
            if not await deliveries_sql.finish(conn, d, attempt, values):
                return
            if after.outcome == "gone":
                reason = f"410 Gone from {sub.url} (delivery {d.id})"
                await subscriptions_sql.disable(conn, sub.id, reason, done)
        ATTEMPT_SECONDS.observe(answer.latency_ms / 1000)
        DELIVERIES.labels(after.outcome).inc()
        if after.outcome in ("dead", "gone"):
            log.warning(
                "webhook delivery %d to %s %s after %d attempts",
                d.id,
                sub.url,
                after.outcome,
                number,
            )

    async def _post(self, sub: Subscription, event_id: str, body: bytes, now: datetime) -> Answer:
        """One signed POST, or an answer saying why it was not sent (a refused address)."""
        try:  # again at each attempt: the name may resolve elsewhere since it was checked
            checked = await check_url(sub.url, self.config, self.resolver)
        except UrlRefused as refused:
            return Answer(None, 0, error=f"not sent: {refused}"[:300])
        stamp = int(now.timestamp())
        headers = signing.headers(sub.signing_secrets(now), event_id, stamp, body)
        # Sent to the address just checked: the name is not resolved a second time.
        return await self.sender.post(sub.url, body, headers, self.config.timeout, to=checked)
