"""What `socorg relay-status` and `socorg relay-skip` read and write: the relay's state in the
service's database (checkpoint, lease, events held), without NATS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from shared import checkpoints
from shared.db import WRITE, make_async_engine
from shared.outbox import blocked as relay_blocked
from shared.outbox.blocked import Blocked
from shared.tables import events, leases


@dataclass(frozen=True)
class Report:
    producer: str
    checkpoint: int
    head: int
    leader: str | None
    lease_expires: datetime | None
    rows: list[Blocked]

    @property
    def held(self) -> list[Blocked]:
        return [b for b in self.rows if b.is_open]

    def text(self) -> str:
        until = f" (lease until {self.lease_expires:%Y-%m-%d %H:%M:%S}Z)"
        lines = [
            f"relay {self.producer}: checkpoint {self.checkpoint}, outbox head {self.head}, "
            f"{self.head - self.checkpoint} behind",
            f"leader: {self.leader or 'none'}{until if self.lease_expires else ''}",
        ]
        if not self.held:
            lines.append("held at no event")
        for b in self.held:
            lines += [
                f"HELD at position {b.position}: NATS refuses this event; nothing after it is "
                "published",
                f"  event id   {b.event_id}",
                f"  type       {b.type}",
                f"  size       {b.size} bytes (its CloudEvent)",
                f"  error      {b.error}",
                f"  since      {b.blocked_at:%Y-%m-%d %H:%M:%S}Z, {b.attempts} attempts, "
                f"last {b.tried_at:%Y-%m-%d %H:%M:%S}Z",
                "  raise the server's max_payload to publish it, or after inspection: "
                f"socorg relay-skip {self.producer} {b.position} --reason … --by …",
            ]
        for b in self.rows:
            if b.skipped_at is not None:
                lines.append(
                    f"skipped position {b.position} ({b.event_id}, {b.type}) "
                    f"{b.skipped_at:%Y-%m-%d %H:%M:%S}Z by {b.skipped_by}: {b.skip_reason}"
                )
            elif b.resolved_at is not None:
                lines.append(
                    f"published position {b.position} ({b.event_id}) after "
                    f"{b.attempts} refusals, {b.resolved_at:%Y-%m-%d %H:%M:%S}Z"
                )
        return "\n".join(lines)


async def status(producer: str, database_url: str) -> Report:
    engine = make_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            saved = await checkpoints.load(conn, f"relay:{producer}")
            head = await conn.execute(select(func.coalesce(func.max(events.c.position), 0)))
            lease = (
                await conn.execute(
                    select(leases.c.holder, leases.c.expires_at).where(
                        leases.c.name == f"relay:{producer}"
                    )
                )
            ).one_or_none()
            rows = await relay_blocked.every_row(conn, producer)
        return Report(
            producer,
            saved,
            int(head.scalar_one()),
            lease.holder if lease else None,
            lease.expires_at if lease else None,
            rows,
        )
    finally:
        await engine.dispose()


async def skip(
    producer: str, database_url: str, position: int, by: str, reason: str
) -> Blocked | None:
    engine = make_async_engine(database_url)
    try:
        async with engine.execution_options(**WRITE).begin() as conn:
            return await relay_blocked.skip(conn, producer, position, by=by, reason=reason)
    finally:
        await engine.dispose()
