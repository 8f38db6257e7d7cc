"""Flags cleared the moment REGISTRY says so: a late report, an end, or a removal from the
活动异常名录 of a flagged organization, applied by the consumer, clears its flags in the same
transaction.

Each flag is judged again by the rule on the later of the fact's day and the flag's own day
(a fact entered late, dated before the scan that raised the flag, is judged as of the scan).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.flags_sql import active_flags, record
from services.notifier.adapters.records import records
from services.notifier.domain.flags import ZOMBIE, FlagChange
from services.notifier.domain.zombie import UNREACHABLE_AT_ADDRESS, ZombieConfig, assess
from shared.contracts.notifier import ClearReason
from shared.eventstore.codec import EventCodec
from shared.eventstore.model import EventMetadata
from shared.eventstore.sql import unit_of_work_on


async def clear_on_facts(
    conn: AsyncConnection,
    facts: Mapping[str, tuple[date, str]],
    *,
    config: ZombieConfig,
    codec: EventCodec,
    max_event_bytes: int,
) -> int:
    """Clear the flags of organizations a batch brought a report, an end or a removal from
    the 活动异常名录 for (org → the fact's day and the registry event's id); the number
    cleared."""
    flags = await active_flags(conn, organizations=facts.keys())
    if not flags:
        return 0
    known = await records(conn, {org for org, _ in flags})
    changes: list[FlagChange] = []
    causes: dict[str, str] = {}
    for (org, flag), active in sorted(flags.items()):
        if org not in known:
            continue
        day, cause = facts[org]
        on = max(day, active.as_of)
        rec, division = known[org]
        answer = assess(rec, on, config)
        still = answer.candidate if flag == ZOMBIE else flag in answer.signals
        if still:
            continue
        ended = rec.ended_on is not None and rec.ended_on <= on
        reason: ClearReason = "ended" if ended else _reason_of(flag)
        changes.append(FlagChange(org, flag, division, on, False, reason=reason))
        causes[org] = cause
    if not changes:
        return 0
    uow = unit_of_work_on(conn, max_event_bytes)
    for change in changes:  # each its own causation: the registry event that cleared it
        metadata = EventMetadata(
            client="notifier", actor="registry event", causation_id=causes[change.organization_id]
        )
        await record(uow, [change], codec=codec, metadata=metadata)
    await uow.flush()
    return len(changes)


def _reason_of(flag: str) -> ClearReason:
    """What, short of an end, clears a flag: the removal from the 活动异常名录 for the
    unreachable signal, a report for the others."""
    return "delisted" if flag == UNREACHABLE_AT_ADDRESS else "late_report"
