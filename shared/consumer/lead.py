"""Which replica consumes a projection: a lease in the database, renewed a few times a ttl."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from shared.outbox.lease import Lease

log = logging.getLogger("socorg.consumer")


class Lead:
    def __init__(self, engine: AsyncEngine, name: str, ttl: float) -> None:
        holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = Lease(engine, name, holder, timedelta(seconds=ttl))
        self.ttl = ttl
        self._renew_at = 0.0

    async def hold(self) -> bool:
        """Whether this process leads: the lease taken or renewed when due."""
        if self.lease.held and time.monotonic() < self._renew_at:
            return True
        held = await self.lease.try_acquire()
        self._renew_at = time.monotonic() + self.ttl / 4
        return held

    async def step_down(self) -> None:
        try:
            await self.lease.release()
        except Exception:  # noqa: BLE001 - the database is away: the lease expires by itself
            log.warning("could not release the lease %s", self.lease.name)
