"""Reading back what a stream holds, for assertions."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import nats
from nats.js.errors import NotFoundError


async def stream_messages(url: str, stream: str) -> list[dict[str, Any]]:
    """Every message of `stream`, in stream order, as parsed envelopes plus their subject."""
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        try:
            info = await js.stream_info(stream)
        except NotFoundError:
            return []
        out: list[dict[str, Any]] = []
        if info.state.last_seq == 0:
            return out
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            msg = await js.get_msg(stream, seq=seq, direct=True)
            envelope = json.loads(msg.data or b"{}")
            envelope["_subject"] = msg.subject
            out.append(envelope)
        return out
    finally:
        await nc.close()


async def wait_for_count(url: str, stream: str, n: int, within: float = 30) -> list[dict[str, Any]]:
    """The stream's messages once it holds `n` (or whatever it holds after `within` seconds)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        got = await stream_messages(url, stream)
        if len(got) >= n or asyncio.get_running_loop().time() > deadline:
            return got
        await asyncio.sleep(0.1)
