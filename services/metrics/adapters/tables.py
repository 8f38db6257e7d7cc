"""The metrics projection's tables: each organization's attributes over time, its grades and
its annual reports, every row dated by the events' act dates (not by when they arrived).

An organization's `spans` are consecutive periods [valid_from, valid_to) over which kind,
category, level, place and status held; the last one is open (valid_to NULL) until it ends
(注销). A grade's row holds from its decision to the day after its validity, or to the next
decision. Counting on a date D takes the rows with valid_from ≤ D < valid_to.

Reads do not scan those rows: the changes tables hold what every count needs pre-aggregated
(see consumers/contributions.py): by date and the attributes indicators filter on, the
signed change of the organizations in force (+1 where a period starts, −1 where it ends), of
those holding each grade, and of the people employed. `monthly` sums them by month, under an
area that is a city ('c' and the place's first 4 digits) or the place itself, so that a city
reads its own rows and a smaller area a range of places; `daily` holds them by day and place. A
count on D is the sum of the area's months before D's month (or up to it, on its last day)
and of its days from the first of D's month to D.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, MetaData, String, Table

md = MetaData()

spans = Table(
    "metrics_org_spans",
    md,
    Column("organization_id", String(64), primary_key=True),
    Column("n", Integer, primary_key=True),  # 0, 1, … in the organization's order of events
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("kind", String(30), nullable=False),
    Column("category", String(50)),
    Column("level", String(20)),
    Column("place", String(12), nullable=False),  # domicile, or community (reads sum the changes)
    Column("urban", Boolean),  # community organizations: 居委会 (True) or 村委会 (False)
    Column("status", String(20), nullable=False),
)

grades = Table(
    "metrics_grades",
    md,
    Column("organization_id", String(64), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("grade", String(2), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),  # exclusive
)

reports = Table(
    "metrics_annual_reports",
    md,
    Column("organization_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("submitted_on", Date, nullable=False),
    Column("staff_employed", Integer),
)


def Code(length: int) -> String:
    """Text compared byte by byte on PostgreSQL (collation C): the changes tables' keys are
    compared on every write, and codes and names need no linguistic order."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def _changes(name: str, where: Column[Any], when: Column[Any], *more: Column[Any]) -> Table:
    """A table of changes of the counts: by place (or area), date and the attributes
    indicators filter on (`attrs`: kind|category|level|status|urban|grade, ONE key column —
    a write compares one, not six; '' for none, urban 'u' 居委会 / 'r' 村委会, grade '' for
    the organizations themselves); primary key in that order."""
    return Table(
        name,
        md,
        where,
        when,
        Column("attrs", Code(160), primary_key=True),
        *more,
        Column("n", Integer, nullable=False),  # organizations (holding the grade, if any)
        Column("staff", BigInteger, nullable=False),  # people employed (grade '' only)
    )


# The changes of each month (its first day), under the place's city and the place itself.
monthly = _changes(
    "metrics_changes_by_month",
    Column("area", Code(12), primary_key=True),  # a city ('c' and 4 digits) or a place
    Column("month", Date, primary_key=True),
    Column("category", Code(50), nullable=False),  # the attrs' category, for the index
)
# Coverage (streets or counties with an organization of a category) reads the places' rows of
# a few categories: without it, every row of a city's places.
Index("ix_metrics_changes_by_month_category", monthly.c.category, monthly.c.area)
# The changes of each day, by place: the days of a month not yet over.
daily = _changes(
    "metrics_changes_by_day",
    Column("day", Date, primary_key=True),
    Column("place", Code(12), primary_key=True),
)

# The rows of `monthly` summed from rows of `daily` ({rows}) in SQL, as contributions.months_of
# does: under the place's city ('c' and its first 4 digits) and the place; what cancels out left
# out.
MONTHS_OF_DAYS = """SELECT area, month, attrs, split_part(attrs, '|', 2), sum(n), sum(staff)
FROM (SELECT place, date_trunc('month', day::timestamp)::date, attrs, n, staff FROM {rows}
      UNION ALL
      SELECT 'c' || left(place, 4), date_trunc('month', day::timestamp)::date, attrs, n, staff
      FROM {rows}) AS x (area, month, attrs, n, staff)
GROUP BY area, month, attrs HAVING sum(n) <> 0 OR sum(staff) <> 0"""

TABLES = (spans, grades, reports, monthly, daily)

# The rating pipeline (the EVALUATION projection, consumers/evaluation.py): each application's
# periods [valid_from, valid_to) in progress (`what` 'application') and with a decided grade not
# yet in force (`what` the grade), a 复核's grade with the objection that set it. Few rows (one
# an application, a few more with 复核): reads join them with the organizations' spans for the
# place and attributes on each date (adapters/series.py), as a grade's are.
pipeline = Table(
    "metrics_rating_pipeline",
    md,
    Column("application_id", String(64), primary_key=True),
    Column("n", Integer, primary_key=True),  # 0, 1, … in the application's order of events
    Column("organization_id", String(64), nullable=False),
    Column("what", String(12), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),  # exclusive
    Column("objection_id", String(64)),  # the 复核 that set the grade (none: the committee's)
)

# The objections lodged (复核申请), in the order they were: which 复核 prevails.
objections = Table(
    "metrics_rating_objections",
    md,
    Column("application_id", String(64), primary_key=True),
    Column("objection_id", String(64), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("lodged_on", Date, nullable=False),
)

PIPELINE_TABLES = (pipeline, objections)
