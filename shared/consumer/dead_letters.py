"""Dead letters: messages a consumer gave up on, parked with their error, replayed once."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nats.aio.msg import Msg
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared import checkpoints
from shared.consumer.config import PARKED
from shared.consumer.projection import Delivered
from shared.tables import dead_letters

log = logging.getLogger("socorg.consumer")
Apply = Callable[[AsyncConnection, Delivered], Awaitable[None]]


class AlreadyReplayed(Exception):
    def __init__(self, dead_letter_id: int, at: datetime) -> None:
        super().__init__(f"dead letter {dead_letter_id} was replayed at {at.isoformat()}")
        self.dead_letter_id = dead_letter_id


@dataclass
class DeadLetters:
    """The `dead_letters` rows of one consumer."""

    engine: AsyncEngine
    writer: AsyncEngine  # the engine's write transactions (shared.db.WRITE)
    consumer: str
    checkpoint_name: str

    async def park(self, msg: Msg, error: str, attempts: int, position: int) -> None:
        """Park `msg` and move the checkpoint from `position` past it, in one transaction."""
        seq = msg.metadata.sequence.stream
        try:
            envelope: Any = json.loads(msg.data)
        except ValueError:
            envelope = {"undecodable": msg.data.decode("utf-8", "replace")}
        async with self.writer.begin() as conn:
            try:
                async with conn.begin_nested():
                    await conn.execute(
                        insert(dead_letters).values(
                            consumer=self.consumer,
                            stream_seq=seq,
                            subject=msg.subject,
                            envelope=envelope,
                            error=error[:4000],
                            attempts=attempts,
                            parked_at=datetime.now(UTC),
                        )
                    )
            except IntegrityError:
                pass  # parked before (a rebuild meets the same poison message)
            await checkpoints.advance(conn, self.checkpoint_name, position, seq)
        PARKED.labels(self.consumer).inc()
        log.error("consumer %s: parked seq %d: %s", self.consumer, seq, error)

    async def rows(self, *, include_replayed: bool = False) -> list[dict[str, Any]]:
        q = select(dead_letters).where(dead_letters.c.consumer == self.consumer)
        if not include_replayed:
            q = q.where(dead_letters.c.replayed_at.is_(None))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q.order_by(dead_letters.c.stream_seq))).mappings().all()
        return [dict(r) for r in rows]

    async def replay(self, dead_letter_id: int, apply: Apply) -> None:
        """Apply a parked message and mark it replayed, in one transaction; once only.

        Raises LookupError if this consumer has no such dead letter, AlreadyReplayed, or what
        `apply` raises (the row then stays parked).
        """
        async with self.writer.begin() as conn:
            row = (
                await conn.execute(
                    select(dead_letters).where(
                        dead_letters.c.id == dead_letter_id,
                        dead_letters.c.consumer == self.consumer,
                    )
                )
            ).first()
            if row is None:
                raise LookupError(f"no dead letter {dead_letter_id} for {self.consumer}")
            if row.replayed_at is not None:
                raise AlreadyReplayed(dead_letter_id, row.replayed_at)
            await apply(conn, Delivered.of(row.envelope, row.subject, row.stream_seq))
            await conn.execute(
                update(dead_letters)
                .where(dead_letters.c.id == dead_letter_id)
                .values(replayed_at=datetime.now(UTC))
            )
