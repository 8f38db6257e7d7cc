"""The sender of ratings to the registry: due records sent, one `PUT …/rating` each, with
the evaluation's service key; 2xx finishes a record, no answer or 5xx tries it again after a
back-off, any other 4xx parks it with the registry's problem.

Records are rows written with the event that decided them: a process killed at any point
leaves them pending and the next sender (after a restart, or another replica) sends them. A
lease (shared.outbox.lease, as the relay's) lets one replica send at a time. One killed
between the registry's 2xx and its commit sends again: the registry answers the repeat 200,
unchanged (idempotent by evaluation_id), so the rating is still recorded once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from services.evaluation.app.ports import Due, RegistryClient, RegistryRecords
from services.evaluation.domain.registry_record import outcome, retry_delay
from shared.outbox.lease import Lease

log = logging.getLogger("socorg.evaluation.registry")


@dataclass(frozen=True)
class RecorderConfig:
    retry_initial: float = 1.0  # seconds before the second attempt; doubling after
    retry_longest: float = 300.0
    poll: float = 1.0
    batch_size: int = 50
    lease_ttl: float = 10.0


class RegistryRecorder:
    def __init__(
        self,
        *,
        records: RegistryRecords,
        registry: RegistryClient,
        lease: Lease,
        config: RecorderConfig,
    ) -> None:
        self.records, self.registry, self.lease, self.config = records, registry, lease, config
        self._wake = asyncio.Event()
        self._stopping = False
        self._renewed_at = -config.lease_ttl

    def kick(self) -> None:
        """Look for due records now (a unit of work committed)."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        try:
            while not self._stopping:
                try:
                    sent = await self.step()
                except asyncio.CancelledError:
                    raise
                except Exception:  # the database may be away: try again after a pause
                    log.warning("registry records: a step failed", exc_info=True)
                    sent = 0
                if not sent:
                    await self._idle()
        finally:
            await asyncio.shield(self.lease.release())

    async def _idle(self) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), self.config.poll)
        except TimeoutError:
            pass

    async def step(self) -> int:
        """Send the records due now (if this process holds the lease); how many were tried."""
        if not await self._lead():
            return 0
        due = await self.records.due(datetime.now(UTC), self.config.batch_size)
        for record in due:
            if self._stopping or not self.lease.held:  # lost meanwhile: the new holder sends
                break
            await self._attempt(record)
        return len(due)

    async def _lead(self) -> bool:
        """Hold the lease, renewed every third of its time to live."""
        now = asyncio.get_running_loop().time()
        if self.lease.held and now - self._renewed_at < self.config.lease_ttl / 3:
            return True
        held = await self.lease.try_acquire()
        self._renewed_at = now if held else -self.config.lease_ttl
        return held

    async def _attempt(self, record: Due) -> None:
        answer = await self.registry.record_rating(record.organization_id, record.body)
        attempts = record.attempts + 1
        done = datetime.now(UTC)
        values: dict[str, Any] = {
            "attempts": attempts,
            "last_status": answer.status,
            "last_error": answer.error,
        }
        match outcome(answer.status):
            case "sent":
                values |= {"state": "sent", "sent_at": done, "next_attempt_at": None}
            case "parked":
                values |= {"state": "parked", "problem": answer.problem, "next_attempt_at": None}
                log.warning(
                    "rating %s for %s parked: %s %s",
                    record.evaluation_id,
                    record.organization_id,
                    answer.status,
                    (answer.problem or {}).get("type"),
                )
            case "retry":
                c = self.config
                wait = retry_delay(attempts, initial=c.retry_initial, longest=c.retry_longest)
                values |= {"next_attempt_at": done + timedelta(seconds=wait)}
                if answer.problem is not None:
                    values["problem"] = answer.problem
        await self.records.finish(record.evaluation_id, values)
