"""The evaluation's streams in its event store, and the one codec its events go through."""

from __future__ import annotations

from shared.clock import SHANGHAI
from shared.eventstore.codec import EventCodec

# Evaluation events occur at the start of their act's date in Asia/Shanghai.
CODEC = EventCodec("evaluation", SHANGHAI)
INVESTIGATIONS = "investigations-"  # one stream per organization: its 立案调查
