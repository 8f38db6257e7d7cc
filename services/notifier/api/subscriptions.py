"""Webhook subscriptions of the key's client: create, list, read, change (rotate the secret),
remove; each subscription's deliveries and its log of attempts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from services.notifier.api.deps import BAD_BODY, NUL_FREE, NotifierDep, Subscriber, SubscriptionId
from services.notifier.api.webhook_errors import (
    FORBIDDEN,
    NOT_FOUND,
    REFUSED_URL,
    problems,
)
from services.notifier.api.webhook_schemas import (
    AttemptPage,
    AttemptRead,
    DeliveryPage,
    DeliveryRead,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPage,
    SubscriptionRead,
    SubscriptionUpdate,
)
from services.notifier.app.subscriptions import ChangeSubscription, CreateSubscription

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.post("", status_code=201, responses=BAD_BODY | FORBIDDEN | REFUSED_URL)
async def create_subscription(
    body: SubscriptionCreate, notifier: NotifierDep, client: Subscriber, response: Response
) -> SubscriptionCreated:
    """Subscribe a URL to NOTIFIER events of a place; the secret is shown in this answer only."""
    with problems():
        row, secret = await notifier.subscriptions.create(
            client, CreateSubscription(**body.model_dump())
        )
    response.headers["Location"] = f"/v1/subscriptions/{row['id']}"
    return SubscriptionCreated.of(row, datetime.now(UTC)).model_copy(update={"secret": secret})


@router.get("", responses=FORBIDDEN)
async def list_subscriptions(
    notifier: NotifierDep,
    client: Subscriber,
    after: Annotated[
        str | None, Query(max_length=36, pattern=NUL_FREE, description="the page's cursor")
    ] = None,
    limit: Limit = 100,
) -> SubscriptionPage:
    """The key's subscriptions, by id."""
    rows = await notifier.subscriptions.find(client, after, limit)
    now = datetime.now(UTC)
    items = [SubscriptionRead.of(r, now) for r in rows]
    return SubscriptionPage(items=items, next_after=items[-1].id if len(items) == limit else None)


@router.get("/{subscription_id}", responses=FORBIDDEN | NOT_FOUND)
async def get_subscription(
    subscription_id: SubscriptionId, notifier: NotifierDep, client: Subscriber
) -> SubscriptionRead:
    """One subscription (its secret is never shown again)."""
    with problems():
        row = await notifier.subscriptions.get(client, subscription_id)
    return SubscriptionRead.of(row, datetime.now(UTC))


@router.patch("/{subscription_id}", responses=BAD_BODY | FORBIDDEN | NOT_FOUND | REFUSED_URL)
async def update_subscription(
    subscription_id: SubscriptionId,
    body: SubscriptionUpdate,
    notifier: NotifierDep,
    client: Subscriber,
) -> SubscriptionCreated:
    """Change a subscription; a new secret (rotate_secret, or secret) is shown in this answer
    only, and the old one signs too for WEBHOOK_ROTATION_OVERLAP_HOURS."""
    given = body.model_dump(exclude_unset=True)
    with problems():
        row, secret = await notifier.subscriptions.change(
            client, subscription_id, ChangeSubscription(**given)
        )
    return SubscriptionCreated.of(row, datetime.now(UTC)).model_copy(update={"secret": secret})


@router.delete("/{subscription_id}", status_code=204, responses=FORBIDDEN | NOT_FOUND)
async def delete_subscription(
    subscription_id: SubscriptionId, notifier: NotifierDep, client: Subscriber
) -> Response:
    """Remove a subscription, its pending deliveries and its log."""
    with problems():
        await notifier.subscriptions.remove(client, subscription_id)
    return Response(status_code=204)


@router.get("/{subscription_id}/deliveries", responses=FORBIDDEN | NOT_FOUND)
async def subscription_deliveries(
    subscription_id: SubscriptionId,
    notifier: NotifierDep,
    client: Subscriber,
    state: Annotated[Literal["pending", "delivered", "dead"] | None, Query()] = None,
    after: Annotated[int | None, Query(ge=0)] = None,
    limit: Limit = 100,
) -> DeliveryPage:
    """A subscription's deliveries (in one state), by id."""
    with problems():
        rows = await notifier.deliveries.find(
            client, subscription_id=subscription_id, state=state, after=after, limit=limit
        )
    items = [DeliveryRead.of(r) for r in rows]
    return DeliveryPage(items=items, next_after=items[-1].id if len(items) == limit else None)


@router.get("/{subscription_id}/attempts", responses=FORBIDDEN | NOT_FOUND)
async def subscription_attempts(
    subscription_id: SubscriptionId,
    notifier: NotifierDep,
    client: Subscriber,
    after: Annotated[int | None, Query(ge=0)] = None,
    limit: Limit = 100,
) -> AttemptPage:
    """The delivery log of a subscription: every attempt, oldest first, with its status or
    error, latency and the first KiB of the answer."""
    with problems():
        rows = await notifier.deliveries.log(client, subscription_id, after=after, limit=limit)
    items = [AttemptRead(**r) for r in rows]
    return AttemptPage(items=items, next_after=items[-1].id if len(items) == limit else None)
