"""The notifier's tables: its projection of REGISTRY, and the flags and reminders it raised.

The projection (`notifier_organizations`, `notifier_reports`, `notifier_disposals`,
`notifier_ratings`, `notifier_credit_facts`) is what the consumer writes
(services/notifier/consumers/registry.py) and the scans read; `zombie_flags` and
`notifier_reminders` are the read models of the notifier's own events, written with them in one
transaction; `notifier_scans` the days scans recorded.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)

from shared.tables import BigId, UtcDateTime

metadata = MetaData()

organizations = Table(
    "notifier_organizations",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("division", String(6), nullable=False),  # the county of its domicile (GB/T 2260)
    Column("domicile", String(12), nullable=False),
    Column("registered_on", Date, nullable=False),  # 成立登记, or 备案 of a community org
    Column("registered_year", Integer, nullable=False),
    # The first year it must report on, charity aside (shared/rules/reporting.py under the
    # notifier's settings); None: the zombie rule leaves it out (a community organization).
    Column("first_year", Integer),
    Column("charity_since", Date),
    Column("charity_year", Integer),
    Column("supervised", Boolean, nullable=False),  # has a 业务主管单位
    Column("revoked_on", Date),
    # registration_revoked (撤销), certificate_revoked (吊销), filing_cancelled (撤销备案)
    Column("revoked_by", String(30)),
    Column("deregistered_on", Date),  # 注销, or 注销备案 of a community organization
    Column("ended_on", Date),  # the first of them: from then on it owes no report
    Index("ix_notifier_organizations_division", "division"),
)

reports = Table(
    "notifier_reports",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("submitted_on", Date, nullable=False),
)

disposals = Table(
    "notifier_disposals",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("ordered_on", Date, primary_key=True),
    Column("due_on", Date, nullable=False),
    Column("reason", String(1000), nullable=False),
    Column("completed_on", Date),
)

# The latest rating decision of each organization (a cancellation leaves no grade).
ratings = Table(
    "notifier_ratings",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("grade", String(4)),
    Column("decided_on", Date, nullable=False),
    Column("valid_until", Date),  # the grade's last day in force
    Index("ix_notifier_ratings_valid_until", "valid_until"),
)

# The credit-list facts the unreachable signal reads (民政部令第60号): each day an organization
# was found unreachable at its registered address (`unreachable`), and each day it was removed
# from the 活动异常名录 (`abnormal_delisted`); the registry event that recorded it.
credit_facts = Table(
    "notifier_credit_facts",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("fact", String(20), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("event_id", String(64), nullable=False),
)

# One row per organization and flag (`zombie`, or a signal's name), flagged or cleared.
zombie_flags = Table(
    "zombie_flags",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("flag", String(40), primary_key=True),
    Column("division", String(6), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),  # of its stream in the notifier's store
    Column("flagged_on", Date, nullable=False),  # the day of the scan that raised it
    Column("as_of", Date, nullable=False),  # the day of the last event on it
    Column("since", Date),
    Column("first_missed", Integer),
    Column("last_missed", Integer),
    Column("cleared_on", Date),
    Column("cleared_reason", String(30)),
    Index("ix_zombie_flags_division", "division", "flag", "active"),
)

# One row per reminder raised: its key (organization, kind, period: the year or the date due)
# is unique, so no reminder is raised twice.
reminders = Table(
    "notifier_reminders",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("organization_id", String(64), nullable=False),
    Column("reminder", String(30), nullable=False),
    Column("period", String(10), nullable=False),
    Column("division", String(6), nullable=False),
    Column("raised_on", Date, nullable=False),  # the day of the scan that raised it
    Column("due_on", Date, nullable=False),
    Column("year", Integer),
    Column("review_deadline", Date),
    Column("grade", String(4)),
    Column("ordered_on", Date),
    Column("event_id", Uuid, nullable=False),
    UniqueConstraint("organization_id", "reminder", "period", name="uq_notifier_reminders_key"),
    Index("ix_notifier_reminders_division", "division", "reminder"),
    sqlite_autoincrement=True,
)

# One row per day a scan recorded (app/day_scan.py): the latest is the day the flags mean, and
# a scan of an earlier day records nothing.
scans = Table(
    "notifier_scans",
    metadata,
    Column("on", Date, primary_key=True),
    Column("client", String(200), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),  # None: it is running, or it stopped half-way
)

PROJECTION_TABLES = (organizations, reports, disposals, ratings, credit_facts)
