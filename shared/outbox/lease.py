"""A lease in the service's database: at most one holder at a time, taken over on expiry.

Used so that only one replica's relay publishes, and one sends (shared.outbox.worker) or
scans. The holder renews well before expiry; a holder that dies stops renewing and another
replica takes over after `ttl`.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import WRITE
from shared.tables import leases


def this_process() -> str:
    """A holder name for this process: host, pid, and a tag telling a reused pid apart."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Lease:
    def __init__(self, engine: AsyncEngine, name: str, holder: str, ttl: timedelta) -> None:
        self.engine = engine.execution_options(**WRITE)
        self.name = name
        self.holder = holder
        self.ttl = ttl
        self.valid_until: datetime | None = None

    @property
    def held(self) -> bool:
        return self.valid_until is not None and datetime.now(UTC) < self.valid_until

    async def try_acquire(self) -> bool:
        """Take or renew the lease; False when another live holder has it."""
        now = datetime.now(UTC)
        expires = now + self.ttl
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(leases)
                .where(
                    leases.c.name == self.name,
                    or_(leases.c.holder == self.holder, leases.c.expires_at < now),
                )
                .values(holder=self.holder, expires_at=expires)
            )
            if result.rowcount == 0:
                try:
                    async with conn.begin_nested():
                        await conn.execute(
                            insert(leases).values(
                                name=self.name, holder=self.holder, expires_at=expires
                            )
                        )
                except IntegrityError:
                    self.valid_until = None
                    return False
        # Keep a margin: act as leader only while well inside the lease.
        self.valid_until = now + self.ttl * 0.8
        return True

    async def release(self) -> None:
        if self.valid_until is None:
            return
        self.valid_until = None
        async with self.engine.begin() as conn:
            await conn.execute(
                update(leases)
                .where(leases.c.name == self.name, leases.c.holder == self.holder)
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
