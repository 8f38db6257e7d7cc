"""The zombie rule over the whole projection at once: one SQL statement per question, on SQLite
and PostgreSQL alike (services/notifier/domain/zombie.py is the rule; a test holds them equal).

For day T and last year Y = T.year − 1, every organization's latest year past its deadline is
L = Y − 1 + passed, where `passed` (Y's deadline is before T) depends only on its kind and on
whether it was a charity in Y: a handful of constants computed here with the shared rules. Its
required years are F..L (F: `first_year`, or its registration year if it was a charity then).
With M the latest year ≤ L it reported on by T, the missed run is max(M, F − 1) + 1 .. L, and
it is a candidate when the run is N years or more and it had not ended by T.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifier.adapters.tables import credit_facts as cf
from services.notifier.adapters.tables import organizations as o
from services.notifier.adapters.tables import reports as r
from services.notifier.domain.zombie import COMMUNITY, ZombieConfig, year_before
from shared.rules import reporting
from shared.rules.reporting import LEGAL_PERSON_KINDS


@dataclass(frozen=True)
class Found:
    """A candidate's run of missed years, and what its evidence is computed from."""

    organization_id: str
    division: str
    kind: str
    charity_since: date | None
    supervised: bool
    first_missed: int
    last_missed: int


def _passed(on: date, config: ZombieConfig) -> ColumnElement[int]:
    """1 where last year's deadline had passed by `on`, else 0, for each organization."""
    y = on.year - 1
    rules = config.reporting
    charity = reporting.deadline_of_kind(y, "foundation", charity=True, config=rules) < on
    whens: list[tuple[ColumnElement[bool], ColumnElement[int]]] = [
        (and_(o.c.charity_year.is_not(None), o.c.charity_year <= y), literal(int(charity)))
    ]
    for kind in sorted(LEGAL_PERSON_KINDS):
        passed = reporting.deadline_of_kind(y, kind, config=rules) < on
        whens.append((o.c.kind == kind, literal(int(passed))))
    if config.community_deadline is not None:
        month, day = config.community_deadline
        whens.append((o.c.kind == COMMUNITY, literal(int(date(y + 1, month, day) < on))))
    return case(*whens, else_=literal(0))


def runs(on: date, config: ZombieConfig) -> Select[tuple[object, ...]]:
    """Every organization the rule counts on `on`, with F, L, its reports by then, its run."""
    y = on.year - 1
    filed = (
        select(
            r.c.organization_id,
            func.max(case((r.c.year <= y, r.c.year))).label("m0"),
            func.max(case((r.c.year <= y - 1, r.c.year))).label("m1"),
            func.count().label("n"),
        )
        .where(r.c.submitted_on <= on)
        .group_by(r.c.organization_id)
        .subquery("filed")
    )
    passed = _passed(on, config)
    latest = literal(y - 1) + passed
    first = case(
        (
            and_(o.c.charity_year.is_not(None), o.c.charity_year <= o.c.registered_year),
            o.c.registered_year,
        ),
        else_=o.c.first_year,
    )
    reported = case((passed == 1, filed.c.m0), else_=filed.c.m1)
    start = case((and_(reported.is_not(None), reported >= first), reported), else_=first - 1)
    counted: list[ColumnElement[bool]] = [o.c.kind.in_(sorted(LEGAL_PERSON_KINDS))]
    if config.community_deadline is not None:
        counted.append(o.c.kind == COMMUNITY)
    return (
        select(
            o.c.organization_id,
            o.c.division,
            o.c.kind,
            o.c.charity_since,
            o.c.supervised,
            (start + 1).label("first_missed"),
            latest.label("last_missed"),
            filed.c.n.label("reports"),
            o.c.registered_on,
            first.label("first"),
        )
        .select_from(o.outerjoin(filed, filed.c.organization_id == o.c.organization_id))
        .where(
            or_(*counted),
            o.c.first_year.is_not(None),
            o.c.registered_on <= on,
            or_(o.c.ended_on.is_(None), o.c.ended_on > on),
        )
    )


async def candidates(conn: AsyncConnection, on: date, config: ZombieConfig) -> list[Found]:
    """Every zombie candidate on `on`, with its run of missed years."""
    found = runs(on, config).subquery("runs")
    n = config.consecutive_years
    q = select(
        found.c.organization_id,
        found.c.division,
        found.c.kind,
        found.c.charity_since,
        found.c.supervised,
        found.c.first_missed,
        found.c.last_missed,
    ).where(found.c.last_missed - found.c.first_missed + 1 >= n)
    return [Found(*row) for row in await conn.execute(q)]


async def no_report_since_registration(
    conn: AsyncConnection, on: date, config: ZombieConfig
) -> dict[str, str]:
    """Organizations (→ division) registered more than a year before `on` with a required
    year past its deadline and no report at all by then."""
    found = runs(on, config).subquery("runs")
    q = select(found.c.organization_id, found.c.division).where(
        found.c.reports.is_(None),
        found.c.first <= found.c.last_missed,
        found.c.registered_on < year_before(on),
    )
    return {row.organization_id: row.division for row in await conn.execute(q)}


def _latest(fact: str, on: date, name: str) -> Select[tuple[object, ...]]:
    """Each organization's latest day of a credit fact by `on`."""
    return (
        select(cf.c.organization_id, func.max(cf.c.day).label(name))
        .where(cf.c.fact == fact, cf.c.day <= on)
        .group_by(cf.c.organization_id)
    )


async def unreachable_at_address(
    conn: AsyncConnection, on: date, config: ZombieConfig
) -> dict[str, str]:
    """Organizations (→ division) the rule counts on `on` that were found unreachable at the
    registered address by then, with no removal from the 活动异常名录 on or after the latest
    such day (domain/zombie.py `unreachable`)."""
    counted = runs(on, config).subquery("runs")
    found = _latest("unreachable", on, "found").subquery("found")
    delisted = _latest("abnormal_delisted", on, "delisted").subquery("delisted")
    q = (
        select(counted.c.organization_id, counted.c.division)
        .select_from(
            counted.join(found, found.c.organization_id == counted.c.organization_id).outerjoin(
                delisted, delisted.c.organization_id == counted.c.organization_id
            )
        )
        .where(or_(delisted.c.delisted.is_(None), delisted.c.delisted < found.c.found))
    )
    return {row.organization_id: row.division for row in await conn.execute(q)}
