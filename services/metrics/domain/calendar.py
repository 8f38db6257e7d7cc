"""Month ends: the dates the monthly history is read on (pure)."""

from __future__ import annotations

from datetime import date, timedelta


def month_end(day: date) -> date:
    first_next = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def month_ends(start: date, as_of: date) -> list[date]:
    """The last day of each month from `start`'s month to the month before `as_of`'s, then
    `as_of` itself: the monthly history up to a date, its last value the value on that date."""
    out: list[date] = []
    day = month_end(start)
    while day < as_of and (day.year, day.month) < (as_of.year, as_of.month):
        out.append(day)
        day = month_end(day + timedelta(days=1))
    out.append(as_of)
    return out
