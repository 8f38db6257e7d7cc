"""Deliveries of the key's subscriptions: the dead letters (and any state), one delivery with its
log, and a dead delivery sent again."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from services.notifier.api.deps import NotifierDep, Subscriber
from services.notifier.api.webhook_errors import FORBIDDEN, NOT_DEAD, NOT_FOUND, problems
from services.notifier.api.webhook_schemas import (
    AttemptRead,
    DeliveryDetail,
    DeliveryPage,
    DeliveryRead,
)

router = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])


@router.get("", responses=FORBIDDEN)
async def list_deliveries(
    notifier: NotifierDep,
    client: Subscriber,
    state: Annotated[
        Literal["pending", "delivered", "dead"] | None,
        Query(description="dead: the dead letters, whose schedule ran out (or 410 Gone)"),
    ] = "dead",
    after: Annotated[int | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> DeliveryPage:
    """The deliveries of the key's subscriptions, by id: by default the dead letters."""
    rows = await notifier.deliveries.find(client, state=state, after=after, limit=limit)
    items = [DeliveryRead.of(r) for r in rows]
    return DeliveryPage(items=items, next_after=items[-1].id if len(items) == limit else None)


@router.get("/{delivery_id}", responses=FORBIDDEN | NOT_FOUND)
async def get_delivery(
    delivery_id: int, notifier: NotifierDep, client: Subscriber
) -> DeliveryDetail:
    """One delivery with its log of attempts."""
    with problems():
        row, log = await notifier.deliveries.get(client, delivery_id)
    read = DeliveryRead.of(row)
    return DeliveryDetail(**read.model_dump(), log=[AttemptRead(**a) for a in log])


@router.post("/{delivery_id}/redeliver", responses=FORBIDDEN | NOT_FOUND | NOT_DEAD)
async def redeliver(delivery_id: int, notifier: NotifierDep, client: Subscriber) -> DeliveryRead:
    """Send a dead delivery again, now, with a new round of the retry schedule (its
    subscription must be active: re-enable one a 410 disabled first)."""
    with problems():
        row = await notifier.deliveries.redeliver(client, delivery_id)
    notifier.worker.kick()
    return DeliveryRead.of(row)
