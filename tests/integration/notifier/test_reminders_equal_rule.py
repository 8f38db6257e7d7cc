"""The reminder scan's SQL equals the reminders' rules: over a generated register with reports,
grades and 限期整改, on many days around the deadlines, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from services.notifier.adapters import reminders_sql
from services.notifier.bootstrap import projection
from services.notifier.domain.reminders import (
    ReminderConfig,
    active_on,
    rating_reminder,
    rectification_reminder,
    report_reminders,
)
from services.notifier.domain.zombie import ZombieConfig
from shared.contracts import registry as r
from shared.db import make_async_engine
from tests.integration.notifier.register import Generated, delivered, generate, stream

DAYS = [
    date(2024, 3, 1),
    date(2024, 5, 1),
    date(2024, 6, 1),
    date(2024, 12, 20),
    date(2025, 3, 31),
    date(2025, 4, 1),
    date(2025, 5, 1),
    date(2025, 5, 31),
    date(2025, 6, 1),
    date(2025, 10, 2),
]
CONFIG = ReminderConfig(report_days_before=45, rating_days_before=90, rectification_days_before=14)


@dataclass
class Decisions:
    """The latest grade and the 限期整改 of each organization, as the rules read them."""

    rating: dict[str, tuple[str | None, date, date | None]] = field(default_factory=dict)
    orders: dict[str, list[tuple[date, date, date | None]]] = field(default_factory=dict)


def decide(register: list[Generated], seed: int = 3) -> tuple[list[r.EventData], Decisions]:
    rng = random.Random(seed)
    events: list[r.EventData] = []
    out = Decisions()
    for g in register:
        org = g.organization_id
        if g.record.kind == "community_org":
            continue
        if rng.random() < 0.4:
            decided = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 6))
            until = decided.replace(year=decided.year + 5) - timedelta(days=1)
            grade = rng.choice(["3A", "4A", "5A"])
            given = until if rng.random() < 0.7 else None  # else derived from the regime
            events.append(
                r.RatingChanged(
                    organization_id=org, grade=grade, decided_on=decided, valid_until=given
                )
            )
            out.rating[org] = (grade, decided, until)
            if rng.random() < 0.1:  # cancelled later
                events.append(
                    r.RatingChanged(organization_id=org, decided_on=decided + timedelta(days=30))
                )
                out.rating[org] = (None, decided + timedelta(days=30), None)
        if rng.random() < 0.3:
            ordered = date(2024, 1, 1) + timedelta(days=rng.randrange(600))
            due = ordered + timedelta(days=rng.choice([30, 60, 90]))
            events.append(
                r.DisposalOrdered(organization_id=org, ordered_on=ordered, due_on=due, reason="x")
            )
            completed = None
            if rng.random() < 0.5:
                completed = ordered + timedelta(days=rng.randrange(120))
                events.append(
                    r.RectificationCompleted(
                        organization_id=org, ordered_on=ordered, completed_on=completed
                    )
                )
            out.orders[org] = [(ordered, due, completed)]
    return events, out


def expected(
    register: list[Generated], decisions: Decisions, on: date, zombie: ZombieConfig
) -> set[tuple[object, ...]]:
    out: set[tuple[object, ...]] = set()
    for g in register:
        org = g.organization_id
        found = list(report_reminders(g.record, on, zombie, CONFIG))
        if active_on(g.record, on):
            if org in decisions.rating:
                grade, decided, until = decisions.rating[org]
                found.append(rating_reminder(grade, decided, until, on, CONFIG))  # type: ignore[arg-type]
            for ordered, due, completed in decisions.orders.get(org, []):
                found.append(rectification_reminder(ordered, due, completed, on, CONFIG))  # type: ignore[arg-type]
        out |= {(org, x) for x in found if x is not None}
    return out


async def test_the_sql_reminders_are_the_rules_reminders_on_every_day(notifier_url: str) -> None:
    zombie = ZombieConfig()
    register = generate(400)
    extra, decisions = decide(register)
    division = {g.organization_id: g.division for g in register}
    events = stream(register)
    events += [
        delivered(e, division[e.organization_id], len(events) + i + 1)  # type: ignore[attr-defined]
        for i, e in enumerate(extra)
    ]
    engine = make_async_engine(notifier_url)
    try:
        consumer = projection(zombie, 256 * 1024)
        async with engine.begin() as conn:
            await consumer.apply_batch(conn, events, {t.name: t for t in consumer.tables})
        seen: dict[str, int] = {}
        for on in DAYS:
            async with engine.connect() as conn:
                found = await reminders_sql.due(conn, on, zombie, CONFIG)
            got = {(f.organization_id, f.reminder) for f in found}
            assert len(got) == len(found), on  # each key once
            assert got == expected(register, decisions, on, zombie), on
            for f in found:
                seen[f.reminder.kind] = seen.get(f.reminder.kind, 0) + 1
        assert set(seen) == {
            "report_due_soon",
            "report_overdue",
            "rating_expiring",
            "rectification_due_soon",
            "rectification_overdue",
        }, seen
    finally:
        await engine.dispose()
