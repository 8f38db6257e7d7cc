"""The metrics projection's tables: each organization's attributes over time, its grades and
its annual reports, every row dated by the events' act dates (not by when they arrived).

An organization's `spans` are consecutive periods [valid_from, valid_to) over which kind,
category, level, place and status held; the last one is open (valid_to NULL) until it ends
(注销). A grade's row holds from its decision to the day after its validity, or to the next
decision. Counting on a date D takes the rows with valid_from ≤ D < valid_to.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table

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
    Column("place", String(12), nullable=False, index=True),  # domicile, or community
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

TABLES = (spans, grades, reports)
