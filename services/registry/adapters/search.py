"""Search over the organizations read model: filters, a total, keyset (cursor) pages."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry.adapters.tables import organizations as o
from services.registry.domain.places import area_prefix


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    category: str | None = None
    level: str | None = None
    status: str | None = None
    grade: str | None = None
    place: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    name_contains: str | None = None
    code_override: bool | None = None
    charity: bool | None = None
    urban: bool | None = None


@dataclass(frozen=True)
class Found:
    rows: list[dict[str, Any]]
    total: int
    next_cursor: str | None
    exact: bool = True  # False: at least `total` match


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
TOTAL_CAP = 10_000


def conditions(f: Filters, today: date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    for column in ("kind", "category", "level", "status"):
        if (value := getattr(f, column)) is not None:
            where.append(o.c[column] == value)
    if f.grade is not None:  # a grade counts only while valid (DOMAIN.md, Rating: expiry)
        valid = or_(o.c.rating_valid_until.is_(None), o.c.rating_valid_until >= today)
        where.append(and_(o.c.grade == f.grade, valid))
    if f.place is not None:
        where.append(o.c.domicile.startswith(area_prefix(f.place), autoescape=True))
    if f.registered_from is not None:
        where.append(o.c.registered_on >= f.registered_from)
    if f.registered_to is not None:
        where.append(o.c.registered_on <= f.registered_to)
    if f.name_contains:
        where.append(o.c.name.contains(f.name_contains, autoescape=True))
    for flag in ("code_override", "charity", "urban"):
        if (value := getattr(f, flag)) is not None:
            where.append(o.c[flag].is_(value))
    return where


async def search(
    engine: AsyncEngine,
    filters: Filters,
    *,
    today: date,
    limit: int,
    cursor: str | None = None,
) -> Found:
    """A page in registration order (date, then id), the total matching, the next cursor.

    One query when the matches are few (at most TOTAL_CAP): they are taken by the filters' own
    indexes, counted and sorted together. Many matches: the page walks the registration-date
    index, where it is met early, and the total says "at least TOTAL_CAP".
    """
    where = conditions(filters, today)
    start = decode_cursor(cursor) if cursor else None
    async with engine.connect() as conn:
        # Only the sort key is carried through the count; full rows are read for the page.
        matches = select(o.c.id, o.c.registered_on).where(*where).limit(TOTAL_CAP + 1).subquery()
        counted = select(matches, func.count().over().label("_total")).subquery()
        keys = _after(select(counted), counted.c, start).limit(limit + 1).subquery()
        page = (
            select(o, keys.c._total)
            .join(keys, o.c.id == keys.c.id)
            .order_by(keys.c.registered_on, keys.c.id)
        )
        rows = [dict(r) for r in (await conn.execute(page)).mappings()]
        if rows:
            total = int(rows[0].pop("_total"))
            for r in rows[1:]:
                del r["_total"]
        else:
            count = select(func.count()).select_from(matches)
            total = int((await conn.execute(count)).scalar_one())
        if total > TOTAL_CAP:
            page = _after(select(o).where(*where), o.c, start)
            rows = [dict(r) for r in (await conn.execute(page.limit(limit + 1))).mappings()]
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
