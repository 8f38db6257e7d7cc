"""The sender of ratings to the registry: due records sent, one `PUT …/rating` each, with
the evaluation's service key; 2xx finishes a record, no answer or 5xx tries it again after a
back-off, any other 4xx parks it with the registry's problem.

Records are rows written with the event that decided them: a process killed at any point
leaves them pending and the next sender (after a restart, or another replica) sends them.
The rounds run in a shared.outbox.worker, under a lease that lets one replica send at a time.
One killed between the registry's 2xx and its commit sends again: the registry answers the
repeat 200, unchanged (idempotent by evaluation_id), so the rating is still recorded once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from services.evaluation.app.ports import Due, RegistryClient, RegistryRecords
from services.evaluation.domain.registry_record import outcome, retry_delay
from shared.outbox.worker import Leading

log = logging.getLogger("socorg.evaluation.registry")


@dataclass(frozen=True)
class RecorderConfig:
    retry_initial: float = 1.0  # seconds before the second attempt; doubling after
    retry_longest: float = 300.0
    poll: float = 1.0
    batch_size: int = 50
    lease_ttl: float = 10.0


class RegistryRecorder:
    """A round of the sender (shared.outbox.worker runs the rounds under the lease)."""

    def __init__(
        self, *, records: RegistryRecords, registry: RegistryClient, config: RecorderConfig
    ) -> None:
        self.records, self.registry, self.config = records, registry, config

    async def send_due(self, leading: Leading) -> int:
        """Send the records due now; how many were tried."""
        due = await self.records.due(datetime.now(UTC), self.config.batch_size)
        for record in due:
            if not leading():  # the lease lost meanwhile, or a stop: the next holder sends
                break
            await self._attempt(record)
        return len(due)

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
