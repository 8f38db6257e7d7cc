"""An organization's stream in the event store, and the one codec its events go through."""

from __future__ import annotations

from shared.clock import SHANGHAI
from shared.eventstore.codec import EventCodec

PRODUCER = "registry"
STREAM_PREFIX = "organization-"
# Registry events occur at the start of their act's date in Asia/Shanghai (app/timeline.py).
CODEC = EventCodec(PRODUCER, SHANGHAI)


def stream_of(organization_id: str) -> str:
    return STREAM_PREFIX + organization_id
