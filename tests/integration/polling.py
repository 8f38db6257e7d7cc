"""Waiting for what runs in the background (a consumer, a relay, a served app): ask again
until the answer is the one awaited, or time is up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], within: float = 60
) -> T:
    """`probe()` once `done` holds of it, or its last answer after `within` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        found = await probe()
        if done(found) or loop.time() > deadline:
            return found
        await asyncio.sleep(0.1)
