"""The durable JetStream pull subscription of a projection, and dropping one safely."""

from __future__ import annotations

import asyncio

from nats.aio.msg import Msg
from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError

from shared.consumer.config import ConsumerConfig
from shared.consumer.projection import Projection


async def subscribe(
    js: JetStreamContext,
    projection: Projection,
    config: ConsumerConfig,
    durable: str,
    *,
    from_start: bool = False,
) -> JetStreamContext.PullSubscription:
    """Bind to `durable` on the projection's stream, creating it (from sequence 1) if missing."""
    cfg = api.ConsumerConfig(
        durable_name=durable,
        ack_policy=api.AckPolicy.EXPLICIT,
        deliver_policy=api.DeliverPolicy.ALL,
        ack_wait=config.ack_wait,
        max_deliver=-1,
        filter_subjects=list(projection.filter_subjects),
        max_ack_pending=max(1000, config.batch_size * 4),
        # a rebuild's consumer expires by itself if the rebuild dies without deleting it
        inactive_threshold=3600.0 if from_start else None,
    )
    try:
        await js.consumer_info(projection.stream, durable)
    except NotFoundError:
        await js.add_consumer(projection.stream, cfg)
    return await js.pull_subscribe_bind(durable=durable, stream=projection.stream)


async def discard(task: asyncio.Task[list[Msg]] | None) -> None:
    """Drop a fetch in flight; its messages are redelivered after `ack_wait`."""
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def unsubscribe(sub: JetStreamContext.PullSubscription | None) -> None:
    """Drop a subscription (never raising): the connection's drain must not wait on it."""
    if sub is not None:
        try:
            await sub.unsubscribe()
        except Exception:  # noqa: BLE001 - already gone with its connection
            pass
