"""Consumers: JetStream → a service's projections, exactly once per event into its tables.

`Projection` (projection.py) is what a service implements and `Delivered` what it is handed:
a CloudEvent whose `data` the shared contracts parse. `ConsumerRunner` (runner.py) fetches,
applies and checkpoints; dead_letters.py parks and replays what keeps failing; rebuild.py
replays a stream into shadow tables and swaps them in; `Consumers` runs a service's runners.
"""

from shared.consumer.config import ConsumerConfig
from shared.consumer.consumers import Consumers
from shared.consumer.dead_letters import AlreadyReplayed, DeadLetters
from shared.consumer.projection import Delivered, Projection, decode
from shared.consumer.rebuild import shadow_tables
from shared.consumer.runner import ConsumerRunner

__all__ = [
    "AlreadyReplayed",
    "ConsumerConfig",
    "ConsumerRunner",
    "Consumers",
    "DeadLetters",
    "Delivered",
    "Projection",
    "decode",
    "shadow_tables",
]
