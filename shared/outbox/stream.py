"""Each producer's JetStream stream: its name and its configuration."""

from __future__ import annotations

from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError

from shared import catalog
from shared.outbox.config import RelayConfig


def stream_config(name: str, subjects: list[str], config: RelayConfig) -> api.StreamConfig:
    """A producer's stream: file storage, keep everything, the configured duplicate window."""
    return api.StreamConfig(
        name=name,
        subjects=subjects,
        storage=api.StorageType.FILE,
        retention=api.RetentionPolicy.LIMITS,
        max_msgs=-1,
        max_bytes=-1,
        max_age=0,
        discard=api.DiscardPolicy.OLD,
        duplicate_window=config.duplicate_window.total_seconds(),
        allow_direct=True,
        num_replicas=config.stream_replicas,
    )


async def ensure_stream(js: JetStreamContext, producer: str, config: RelayConfig) -> None:
    """Create or update the producer's stream."""
    name = catalog.stream_of(producer)
    cfg = stream_config(name, [f"{producer}.>"], config)
    try:
        await js.stream_info(name)
    except NotFoundError:
        await js.add_stream(cfg)
        return
    await js.update_stream(cfg)
