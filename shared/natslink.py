"""A service's connection to NATS: connects in the background, reconnects forever.

A service starts (and keeps serving reads and writes) while NATS is away; `/readyz` says
whether the link is up. Shutdown drains it so in-flight publishes and acks complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import nats
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext

from shared.redact import redact_url

log = logging.getLogger("socorg.nats")


class NatsLink:
    def __init__(self, servers: str, name: str) -> None:
        self.servers = [s.strip() for s in servers.split(",") if s.strip()]
        self.name = name
        self.nc: NATS | None = None
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        self._js: JetStreamContext | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._connect_loop(), name=f"nats-connect-{self.name}")

    async def _connect_loop(self) -> None:
        delay = 0.2
        while True:
            try:
                self.nc = await nats.connect(
                    servers=self.servers,
                    name=self.name,
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=1,
                    connect_timeout=2,
                    error_cb=self._on_error,
                    disconnected_cb=self._on_disconnect,
                    reconnected_cb=self._on_reconnect,
                )
                self.connected.set()
                shown = [redact_url(s) for s in self.servers]
                log.info("connected to NATS", extra={"servers": shown})
                return
            except Exception as exc:  # noqa: BLE001 - keep trying whatever the reason
                log.warning("NATS not reachable yet: %s", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _on_error(self, exc: Exception) -> None:
        log.warning("NATS: %s", f"{type(exc).__name__}: {exc}".splitlines()[0])

    async def _on_disconnect(self) -> None:
        log.warning("disconnected from NATS; reconnecting")

    async def _on_reconnect(self) -> None:
        log.info("reconnected to NATS")

    @property
    def is_connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected

    def jetstream(self) -> JetStreamContext:
        """One context per connection: it holds the reply subscription of async publishes."""
        if self.nc is None:
            raise RuntimeError("NATS is not connected")
        if self._js is None:
            self._js = self.nc.jetstream(publish_async_max_pending=20_000)
        return self._js

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.nc is not None and not self.nc.is_closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.nc.drain(), timeout=5)
