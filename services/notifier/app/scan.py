"""The zombie scan of one day: candidates found in SQL, diffed against the flags raised,
the differences recorded as events (zombie_flagged / zombie_cleared, and each signal's).

A scan of a day already scanned finds the flags as it left them and records nothing; a scan
never undoes a flag's event of a later day (a late report cleared it on the 10th: a scan of
the 1st leaves it cleared). Which days may record is app/day_scan.py's to decide; `judge`
answers for any day and records nothing. Scans run one at a time in a process (the schedule
and on-demand ones share the lock); the flags' stream versions refuse a concurrent writer
elsewhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters import scan_sql
from services.notifier.adapters.flags_sql import ActiveFlag, active_flags, judged_after, record
from services.notifier.adapters.tables import credit_facts as cf
from services.notifier.adapters.tables import organizations as o
from services.notifier.adapters.tables import reports as r
from services.notifier.domain.flags import ZOMBIE, FlagChange
from services.notifier.domain.zombie import (
    NO_REPORT_SINCE_REGISTRATION,
    UNREACHABLE_AT_ADDRESS,
    ZombieConfig,
    evidence_of,
)
from shared.contracts.notifier import ClearReason
from shared.eventstore.codec import EventCodec
from shared.eventstore.model import EventMetadata
from shared.eventstore.sql import SqlEventStore

BATCH = 500  # changes per transaction: a large first scan commits as it goes


@dataclass(frozen=True)
class ScanResult:
    on: date
    candidates: int
    flagged: int
    cleared: int
    signals_raised: int
    signals_cleared: int


@dataclass
class Scanner:
    store: SqlEventStore
    config: ZombieConfig
    codec: EventCodec
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def judge(self, on: date) -> ScanResult:
        """The candidates on `on`, recording nothing (a day before the latest scan)."""
        async with self.store.engine.connect() as conn:
            found = await scan_sql.candidates(conn, on, self.config)
        return ScanResult(on, len(found), 0, 0, 0, 0)

    async def scan(
        self, on: date, *, client: str = "notifier", today: date | None = None
    ) -> ScanResult:
        """Record the changes of `on`; `today` (the service's): a flag dated after it is
        judged again (flags_sql.judged_after)."""
        async with self.lock:
            async with self.store.engine.connect() as conn:
                found = {
                    c.organization_id: c for c in await scan_sql.candidates(conn, on, self.config)
                }
                holding = {
                    NO_REPORT_SINCE_REGISTRATION: await scan_sql.no_report_since_registration(
                        conn, on, self.config
                    ),
                    UNREACHABLE_AT_ADDRESS: await scan_sql.unreachable_at_address(
                        conn, on, self.config
                    ),
                }
                flags = await active_flags(conn)
                zombie_changes = await self._zombie_changes(conn, on, found, flags)
                signal_changes: list[FlagChange] = []
                for name, holds in holding.items():
                    signal_changes += await self._signal_changes(conn, on, name, holds, flags)
                later = await judged_after(conn, on, today=today)
            changes = [
                c
                for c in zombie_changes + signal_changes
                if (c.organization_id, c.flag) not in later
            ]
            zombie_changes = [c for c in changes if c.flag == ZOMBIE]
            signal_changes = [c for c in changes if c.flag != ZOMBIE]
            metadata = EventMetadata(
                client=client, actor="zombie scan", extra={"scan_on": on.isoformat()}
            )
            for i in range(0, len(changes), BATCH):
                async with self.store.unit_of_work() as uow:
                    await record(uow, changes[i : i + BATCH], codec=self.codec, metadata=metadata)
            raised = sum(1 for c in zombie_changes if c.raised)
            signals = sum(1 for c in signal_changes if c.raised)
            return ScanResult(
                on,
                len(found),
                raised,
                len(zombie_changes) - raised,
                signals,
                len(signal_changes) - signals,
            )

    async def _zombie_changes(
        self,
        conn: AsyncConnection,
        on: date,
        found: dict[str, scan_sql.Found],
        flags: dict[tuple[str, str], ActiveFlag],
    ) -> list[FlagChange]:
        flagged = {org for org, flag in flags if flag == ZOMBIE}
        n = self.config.consecutive_years
        changes: list[FlagChange] = []
        for org in sorted(found.keys() - flagged):
            c = found[org]
            missed, since = evidence_of(
                kind=c.kind,
                charity_since=c.charity_since,
                first_missed=c.first_missed,
                last_missed=c.last_missed,
                supervised=c.supervised,
                consecutive_years=n,
                config=self.config,
            )
            changes.append(FlagChange(org, ZOMBIE, c.division, on, True, missed, since, n))
        gone = sorted(flagged - found.keys())
        reasons = await clear_reasons(conn, on, gone)
        for org in gone:
            division = flags[(org, ZOMBIE)].division
            changes.append(FlagChange(org, ZOMBIE, division, on, False, reason=reasons[org]))
        return changes

    async def _signal_changes(
        self,
        conn: AsyncConnection,
        on: date,
        name: str,
        holding: dict[str, str],
        flags: dict[tuple[str, str], ActiveFlag],
    ) -> list[FlagChange]:
        raised = {org for org, flag in flags if flag == name}
        changes = [
            FlagChange(org, name, holding[org], on, True) for org in sorted(holding.keys() - raised)
        ]
        gone = sorted(raised - holding.keys())
        reasons = await clear_reasons(conn, on, gone, unreachable=name == UNREACHABLE_AT_ADDRESS)
        for org in gone:
            division = flags[(org, name)].division
            changes.append(FlagChange(org, name, division, on, False, reason=reasons[org]))
        return changes


async def clear_reasons(
    conn: AsyncConnection, on: date, organizations: Sequence[str], *, unreachable: bool = False
) -> dict[str, ClearReason]:
    """Why each organization no longer meets a rule on `on`: ended, reported (for the
    unreachable signal: removed from the 活动异常名录), or neither."""
    out: dict[str, ClearReason] = {org: "not_a_candidate" for org in organizations}
    fact = (
        select(cf.c.organization_id).where(cf.c.fact == "abnormal_delisted", cf.c.day <= on)
        if unreachable
        else select(r.c.organization_id).where(r.c.submitted_on <= on)
    )
    reason: ClearReason = "delisted" if unreachable else "late_report"
    for i in range(0, len(organizations), 500):
        batch = list(organizations[i : i + 500])
        q = select(o.c.organization_id).where(o.c.organization_id.in_(batch))
        reported = await conn.execute(q.where(o.c.organization_id.in_(fact)))
        out |= {row.organization_id: reason for row in reported}
        ended = await conn.execute(q.where(o.c.ended_on <= on))
        out |= {row.organization_id: "ended" for row in ended}
    return out
