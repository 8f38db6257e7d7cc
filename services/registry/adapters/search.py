"""Search over the organizations read model: filters, a total, keyset (cursor) pages."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, and_, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.adapters.reporting_sql import overdue_at_least
from services.registry.adapters.tables import organizations as o
from services.registry.app.search import Filters, Found
from services.registry.domain.places import area_prefix
from shared.db import among
from shared.rules.reporting import NATIONAL, ReportingConfig


class BadCursor(ValueError):
    pass


def encode_cursor(registered_on: date, organization_id: str) -> str:
    raw = json.dumps([registered_on.isoformat(), organization_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        day, oid = json.loads(raw)
        return date.fromisoformat(day), str(oid)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise BadCursor(f"cursor {cursor[:40]!r} is not one this API gave out") from exc


# Totals are exact up to here; past it the API says "at least" (`total_exact` false): an
# exact count of a broad match costs a scan of most of the register on every page.
TOTAL_CAP = 1_000


def name_keys(text: str, prefix: str = "") -> list[str]:
    """The keys of the name index (registry_0003, socorg_name_keys) a name containing `text`
    must hold: its two-character substrings, prefixed with the city (4 digits) when the
    search is inside one."""
    city = prefix[:4] if len(prefix) >= 4 else ""
    return sorted({city + text[i : i + 2] for i in range(len(text) - 1)})


def conditions(
    f: Filters, today: date, dialect: str, reporting: ReportingConfig = NATIONAL
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    for column in ("kind", "category", "level", "status"):
        if (value := getattr(f, column)) is not None:
            where.append(o.c[column] == value)
    if f.grade is not None:
        where.append(grade_in_force(f.grade, today))
    prefix = area_prefix(f.place) if f.place is not None else ""
    if f.zone_streets:  # a zone is the streets it groups (domain/places.py)
        prefix = ""
        where.append(or_(*(o.c.domicile.startswith(s, autoescape=True) for s in f.zone_streets)))
    elif prefix:
        where.append(o.c.domicile.startswith(prefix, autoescape=True))
    if f.registered_from is not None:
        where.append(o.c.registered_on >= f.registered_from)
    if f.registered_to is not None:
        where.append(o.c.registered_on <= f.registered_to)
    if f.name_contains:
        if dialect == "postgresql" and (keys := name_keys(f.name_contains, prefix)):
            # the name index: names holding every bigram of the text (in the city searched),
            # which LIKE then checks
            held = func.socorg_name_keys(o.c.name, o.c.domicile, type_=ARRAY(Text))
            where.append(held.contains(keys))
        where.append(o.c.name.contains(f.name_contains, autoescape=True))
    for flag in ("code_override", "charity", "urban"):
        if (value := getattr(f, flag)) is not None:
            where.append(o.c[flag].is_(value))
    if f.credit_list is not None:
        where.append(o.c[f"{f.credit_list}_list"].is_(True))
    if f.overdue_years is not None:
        where.append(overdue_at_least(f.overdue_years, today, reporting))
    return where


def grade_in_force(grade: str, today: date) -> ColumnElement[bool]:
    """The rows whose grade in force `today` is `grade` (DOMAIN.md, Rating): the latest one
    from its first day to its last, or, before the latest one starts, the one it replaced
    (adapters/read_model.py, rating_columns)."""
    latest = and_(
        o.c.grade == grade,
        o.c.rating_valid_from <= today,
        or_(o.c.rating_valid_until.is_(None), o.c.rating_valid_until >= today),
    )
    replaced = and_(
        o.c.grade_before == grade,
        o.c.rating_valid_from > today,
        or_(o.c.grade_before_valid_until.is_(None), o.c.grade_before_valid_until >= today),
    )
    return or_(latest, replaced)


async def search(
    engine: AsyncEngine,
    filters: Filters,
    *,
    today: date,
    limit: int,
    cursor: str | None = None,
    reporting: ReportingConfig = NATIONAL,
) -> Found:
    """A page in registration order (date, then id), the total matching, the next cursor.

    Two short queries, neither of which reads more than TOTAL_CAP + 1 index entries or more
    than one page of rows:
    1. the matches' sort keys (id, registration date) are taken by the filters' own indexes
       (the place and registration indexes carry every filter column, so mostly from the
       index alone), at most TOTAL_CAP + 1 of them: counted, and the page's keys sorted out;
    2. the page's rows: those keys' rows; or, when more than TOTAL_CAP match (the total then
       says "at least TOTAL_CAP"), the rows met first walking the registration-order index,
       where a broad match is met early.
    """
    where = conditions(filters, today, engine.dialect.name, reporting)
    start = decode_cursor(cursor) if cursor else None
    async with engine.connect() as conn:
        matches = select(o.c.id, o.c.registered_on).where(*where).limit(TOTAL_CAP + 1).subquery()
        counted = select(matches, func.count().over().label("total")).subquery()
        first = _after(select(counted), counted.c, start).limit(limit + 1)
        keys = (await conn.execute(first)).all()
        if keys:
            total = int(keys[0].total)
        else:
            count = select(func.count()).select_from(matches)
            total = int((await conn.execute(count)).scalar_one())
        page: Select[Any] | None = None
        if total > TOTAL_CAP:  # the page's keys: those met first walking the registration index
            walk = _after(select(o.c.id, o.c.registered_on).where(*where), o.c, start)
            met = walk.limit(limit + 1).subquery()
            page = select(o).join(met, o.c.id == met.c.id)
        elif keys:  # the page's keys, sorted out of the matches
            ids = [k.id for k in keys]
            page = select(o).where(among(engine.dialect.name, o.c.id, ids))
        rows: list[dict[str, Any]] = []
        if page is not None:
            page = page.order_by(o.c.registered_on, o.c.id)
            rows = [dict(r) for r in (await conn.execute(page)).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more else None
    return Found(
        rows,
        min(total, TOTAL_CAP),
        encode_cursor(last["registered_on"], last["id"]) if last else None,
        exact=total <= TOTAL_CAP,
    )


def _after(q: Select[Any], c: Any, start: tuple[date, str] | None) -> Select[Any]:
    """Rows after the cursor, in registration order."""
    if start is not None:
        q = q.where(tuple_(c.registered_on, c.id) > tuple_(*start))
    return q.order_by(c.registered_on, c.id)
