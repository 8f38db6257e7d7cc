"""The reminders due on a day over the whole projection at once, one SQL statement per kind,
on SQLite and PostgreSQL, leaving out those already raised (the rule is
services/notifier/domain/reminders.py; a test holds them equal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.scan_sql import runs
from services.notifier.adapters.tables import disposals as d
from services.notifier.adapters.tables import organizations as o
from services.notifier.adapters.tables import ratings as g
from services.notifier.adapters.tables import reminders as m
from services.notifier.adapters.tables import reports as r
from services.notifier.domain import reminders as rules
from services.notifier.domain.reminders import Reminder, ReminderConfig
from services.notifier.domain.zombie import COMMUNITY, Record, ZombieConfig
from shared.contracts.notifier import ReminderKind
from shared.rules.reporting import LEGAL_PERSON_KINDS, deadline_of_kind


@dataclass(frozen=True)
class Found:
    """A reminder due for an organization, not raised yet."""

    organization_id: str
    division: str
    reminder: Reminder


async def due(
    conn: AsyncConnection, on: date, zombie: ZombieConfig, config: ReminderConfig
) -> list[Found]:
    """Every reminder due on `on` and not raised before, each key once."""
    found = [
        *await reports_due_soon(conn, on, zombie, config),
        *await reports_overdue(conn, on, zombie),
        *await ratings_expiring(conn, on, config),
        *await rectifications(conn, on, config),
    ]
    seen: set[tuple[str, str, str]] = set()
    out: list[Found] = []
    for f in found:  # two 限期整改 of one organization due the same day: one reminder
        key = (f.organization_id, f.reminder.kind, f.reminder.period)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _raised(kind: ReminderKind, same: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(m.c.organization_id == o.c.organization_id, m.c.reminder == kind, same)


def _active(on: date) -> ColumnElement[bool]:
    return and_(o.c.registered_on <= on, or_(o.c.ended_on.is_(None), o.c.ended_on > on))


def _counted(zombie: ZombieConfig) -> ColumnElement[bool]:
    kinds = sorted(LEGAL_PERSON_KINDS | ({COMMUNITY} if zombie.community_deadline else set()))
    return and_(o.c.kind.in_(kinds), o.c.first_year.is_not(None))


def _near(year: int, on: date, zombie: ZombieConfig, days: int) -> ColumnElement[int] | None:
    """1 where the deadline of `year` is within `days` days of `on`, by kind (and charity);
    None when it is for no organization."""
    settings = zombie.reporting

    def near(deadline: date) -> int:
        return int(rules.approaching(deadline, on, days))

    charity = and_(o.c.charity_year <= year, o.c.charity_since <= on)
    whens: list[tuple[ColumnElement[bool], int]] = [
        (charity, near(deadline_of_kind(year, "foundation", charity=True, config=settings)))
    ]
    for kind in sorted(LEGAL_PERSON_KINDS):
        whens.append((o.c.kind == kind, near(deadline_of_kind(year, kind, config=settings))))
    if zombie.community_deadline is not None:
        month, day = zombie.community_deadline
        whens.append((o.c.kind == COMMUNITY, near(date(year + 1, month, day))))
    if not any(flag for _, flag in whens):
        return None
    return case(*((when, literal(flag)) for when, flag in whens), else_=literal(0))


async def reports_due_soon(
    conn: AsyncConnection, on: date, zombie: ZombieConfig, config: ReminderConfig
) -> list[Found]:
    """Required reports not filed by `on` whose deadline is within the configured days."""
    first = case(
        (
            and_(o.c.charity_year <= o.c.registered_year, o.c.charity_since <= on),
            o.c.registered_year,
        ),
        else_=o.c.first_year,
    )
    out: list[Found] = []
    for year in (on.year - 1, on.year):
        near = _near(year, on, zombie, config.report_days_before)
        if near is None:
            continue
        filed = exists().where(
            r.c.organization_id == o.c.organization_id, r.c.year == year, r.c.submitted_on <= on
        )
        q = select(
            o.c.organization_id,
            o.c.division,
            o.c.kind,
            o.c.registered_on,
            o.c.charity_since,
            o.c.supervised,
        ).where(
            _counted(zombie),
            _active(on),
            near == 1,
            first <= year,
            ~filed,
            ~_raised(rules.REPORT_DUE_SOON, m.c.year == year),
        )
        for row in await conn.execute(q):
            record = Record(
                row.kind, row.registered_on, row.charity_since, supervised=row.supervised
            )
            reminder = rules.report(rules.REPORT_DUE_SOON, year, record, on, zombie)
            out.append(Found(row.organization_id, row.division, reminder))
    return out


async def reports_overdue(conn: AsyncConnection, on: date, zombie: ZombieConfig) -> list[Found]:
    """The latest year past its deadline, required and not reported by `on`: the zombie scan's
    run of missed years (adapters/scan_sql.py) when it ends there, whatever its length."""
    run = runs(on, zombie).subquery("runs")
    raised = exists().where(
        m.c.organization_id == run.c.organization_id,
        m.c.reminder == rules.REPORT_OVERDUE,
        m.c.year == run.c.last_missed,
    )
    q = select(run).where(run.c.last_missed >= run.c.first_missed, ~raised)
    out: list[Found] = []
    for row in await conn.execute(q):
        record = Record(row.kind, row.registered_on, row.charity_since, supervised=row.supervised)
        reminder = rules.report(rules.REPORT_OVERDUE, row.last_missed, record, on, zombie)
        out.append(Found(row.organization_id, row.division, reminder))
    return out


async def ratings_expiring(conn: AsyncConnection, on: date, config: ReminderConfig) -> list[Found]:
    """Grades decided by `on` whose last day falls within the configured days."""
    q = (
        select(o.c.organization_id, o.c.division, g.c.grade, g.c.valid_until)
        .select_from(g.join(o, o.c.organization_id == g.c.organization_id))
        .where(
            _active(on),
            g.c.grade.is_not(None),
            g.c.decided_on <= on,
            g.c.valid_until >= on,
            g.c.valid_until <= on + timedelta(days=config.rating_days_before),
            ~_raised(rules.RATING_EXPIRING, m.c.due_on == g.c.valid_until),
        )
    )
    return [
        Found(
            row.organization_id,
            row.division,
            rules.Reminder(rules.RATING_EXPIRING, row.valid_until, grade=row.grade),
        )
        for row in await conn.execute(q)
    ]


async def rectifications(conn: AsyncConnection, on: date, config: ReminderConfig) -> list[Found]:
    """限期整改 ordered by `on`, not completed by then, due soon or overdue."""
    soon = on + timedelta(days=config.rectification_days_before)
    kind = case(
        (d.c.due_on < on, literal(rules.RECTIFICATION_OVERDUE)),
        else_=literal(rules.RECTIFICATION_DUE_SOON),
    )
    q = (
        select(o.c.organization_id, o.c.division, d.c.ordered_on, d.c.due_on, d.c.completed_on)
        .select_from(d.join(o, o.c.organization_id == d.c.organization_id))
        .where(
            _active(on),
            d.c.ordered_on <= on,
            or_(d.c.completed_on.is_(None), d.c.completed_on > on),
            d.c.due_on <= soon,
            ~exists().where(
                m.c.organization_id == d.c.organization_id,
                m.c.reminder == kind,
                m.c.due_on == d.c.due_on,
            ),
        )
        .order_by(o.c.organization_id, d.c.ordered_on)
    )
    out: list[Found] = []
    for row in await conn.execute(q):
        reminder = rules.rectification_reminder(
            row.ordered_on, row.due_on, row.completed_on, on, config
        )
        if reminder is not None:
            out.append(Found(row.organization_id, row.division, reminder))
    return out
