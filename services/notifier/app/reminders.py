"""The reminder scan of one day: every reminder due found in SQL, those not raised before
recorded as events on NOTIFIER with their rows and webhook deliveries, each key once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from services.notifier.adapters import reminder_rows_sql, reminders_sql
from services.notifier.domain.reminders import KINDS, ReminderConfig
from services.notifier.domain.zombie import ZombieConfig
from shared.eventstore.codec import EventCodec
from shared.eventstore.model import EventMetadata
from shared.eventstore.sql import SqlEventStore

BATCH = 500  # reminders per transaction


@dataclass(frozen=True)
class RemindersRaised:
    on: date
    raised: dict[str, int]  # by kind of reminder, every kind present


@dataclass
class ReminderScan:
    store: SqlEventStore
    zombie: ZombieConfig
    config: ReminderConfig
    codec: EventCodec

    async def scan(self, on: date, *, client: str = "notifier") -> RemindersRaised:
        """Raise the reminders due on `on` not raised before (a day scanned again raises none;
        a reminder raised on an earlier day is not raised again)."""
        async with self.store.engine.connect() as conn:
            found = await reminders_sql.due(conn, on, self.zombie, self.config)
        metadata = EventMetadata(
            client=client, actor="reminder scan", extra={"scan_on": on.isoformat()}
        )
        for i in range(0, len(found), BATCH):
            async with self.store.unit_of_work() as uow:
                await reminder_rows_sql.record(
                    uow, found[i : i + BATCH], on, codec=self.codec, metadata=metadata
                )
        counts = Counter(f.reminder.kind for f in found)
        return RemindersRaised(on, {kind: counts[kind] for kind in KINDS})
