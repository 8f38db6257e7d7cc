"""The durable JetStream pull subscription of a projection, and dropping one safely."""

from __future__ import annotations

import asyncio

from nats.aio.msg import Msg
from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError

from shared.consumer.config import ConsumerConfig
from shared.consumer.projection import Projection


class StreamAbsent(LookupError):
    """The projection's stream does not exist (yet): its producer has never run here."""

    def __init__(self, stream: str) -> None:
        super().__init__(f"stream {stream} absent: waiting for its producer to create it")
        self.stream = stream


async def stream_exists(js: JetStreamContext, stream: str) -> bool:
    try:
        await js.stream_info(stream)
    except NotFoundError:
        return False
    return True


async def subscribe(
    js: JetStreamContext,
    projection: Projection,
    config: ConsumerConfig,
    durable: str,
    *,
    after: int,
    expires: bool = False,
) -> JetStreamContext.PullSubscription:
    """Make `durable` anew on the projection's stream, delivering what follows stream
    sequence `after`, and bind to it.

    Made anew each time: the checkpoint in the database, not the server's ack state, says
    where a projection stands, and a new consumer owes no delivery to another process (a
    replica that lost the lead) nor keeps an older ack policy. Acks are cumulative
    (AckPolicy.ALL): the runner applies strictly in order, so one ack of the last message
    applied acks the batch. `expires`: a rebuild's consumer, gone by itself if the rebuild
    dies without deleting it. Raises StreamAbsent if the stream does not exist.
    """
    if not await stream_exists(js, projection.stream):
        raise StreamAbsent(projection.stream)
    cfg = api.ConsumerConfig(
        durable_name=durable,
        ack_policy=api.AckPolicy.ALL,
        deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
        opt_start_seq=after + 1,
        ack_wait=config.ack_wait,
        max_deliver=-1,
        filter_subjects=list(projection.filter_subjects),
        max_ack_pending=max(1000, config.batch_size * 4),
        inactive_threshold=3600.0 if expires else None,
    )
    try:
        await js.delete_consumer(projection.stream, durable)
    except NotFoundError:
        pass
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
