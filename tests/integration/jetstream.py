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


async def wait_for_messages(url: str, stream: str, n: int, within: float = 30) -> int:
    """How many messages the stream holds once it holds `n` (or after `within` seconds), read
    from its state alone: cheap to poll while a relay drains a long outbox."""
    deadline = asyncio.get_running_loop().time() + within
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        while True:
            try:
                held = (await js.stream_info(stream)).state.messages
            except NotFoundError:
                held = 0
            if held >= n or asyncio.get_running_loop().time() > deadline:
                return held
            await asyncio.sleep(0.2)
    finally:
        await nc.close()
