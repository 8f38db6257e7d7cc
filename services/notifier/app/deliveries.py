"""Deliveries as their owner sees them: by subscription or state (the dead letters), one with
its log of attempts, a subscription's log; a dead one sent again on request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifier.adapters import delivery_views_sql as views
from services.notifier.adapters import subscriptions_sql
from services.notifier.app.subscriptions import UnknownSubscription
from shared.db import WRITE
from shared.http.keys import Client


class UnknownDelivery(LookupError):
    """No delivery of that id belongs to the caller's subscriptions."""


class NotDead(ValueError):
    """Only a dead delivery is sent again on request (a delivered one was received)."""


class SubscriptionDisabled(ValueError):
    """The delivery's subscription is paused or disabled (a 410 Gone): a redelivery would sit
    unsent, so it is refused until the owner re-enables the subscription."""


@dataclass
class Deliveries:
    engine: AsyncEngine

    async def find(
        self,
        client: Client,
        *,
        subscription_id: str | None = None,
        state: str | None = None,
        after: int | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            if subscription_id is not None:
                await _own(conn, client, subscription_id)
            return await views.deliveries(
                conn,
                owner=client.id,
                subscription_id=subscription_id,
                state=state,
                after=after,
                limit=limit,
            )

    async def get(self, client: Client, delivery_id: int) -> tuple[dict[str, Any], list[Any]]:
        """The delivery and its attempts."""
        async with self.engine.connect() as conn:
            found = await views.delivery(conn, owner=client.id, delivery_id=delivery_id)
            if found is None:
                raise UnknownDelivery(delivery_id)
            return found, await views.attempts(conn, delivery_id=delivery_id)

    async def log(
        self, client: Client, subscription_id: str, *, after: int | None, limit: int
    ) -> list[dict[str, Any]]:
        """A subscription's attempts, oldest first."""
        async with self.engine.connect() as conn:
            await _own(conn, client, subscription_id)
            return await views.attempts(
                conn, subscription_id=subscription_id, after=after, limit=limit
            )

    async def redeliver(self, client: Client, delivery_id: int) -> dict[str, Any]:
        """A dead delivery pending again, now, for a new round of the schedule; refused while
        its subscription is disabled (it would not be sent)."""
        async with self.engine.execution_options(**WRITE).begin() as conn:
            found = await views.delivery(conn, owner=client.id, delivery_id=delivery_id)
            if found is None:
                raise UnknownDelivery(delivery_id)
            sub = await subscriptions_sql.row(conn, found["subscription_id"], client.id)
            if sub is not None and not sub["active"] and found["state"] == "dead":
                why = sub["disabled_reason"] or "paused by its owner"
                raise SubscriptionDisabled(
                    f"subscription {sub['id']} is disabled ({why}): re-enable it with PATCH "
                    f'/v1/subscriptions/{sub["id"]} {{"active": true}}, then redeliver'
                )
            if not await views.redeliver(conn, delivery_id, datetime.now(UTC)):
                raise NotDead(f"delivery {delivery_id} is {found['state']}, not dead")
            again = await views.delivery(conn, owner=client.id, delivery_id=delivery_id)
        assert again is not None
        return again


async def _own(conn: Any, client: Client, subscription_id: str) -> None:
    if await subscriptions_sql.row(conn, subscription_id, client.id) is None:
        raise UnknownSubscription(subscription_id)
