"""The evaluation's tables: its projection of REGISTRY (what eligibility reads), the read
models of its own events, and the ratings to record on the registry (an outbox).

The projection's tables are written by the consumer (services/evaluation/consumers/registry.py)
only; `evaluation_investigations` is written with the events in one unit of work.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

from shared.tables import UtcDateTime

metadata = MetaData()

organizations = Table(
    "evaluation_organizations",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("credit_code", String(18)),  # 统一社会信用代码; none: a community organization
    Column("kind", String(30), nullable=False),
    Column("level", String(20)),  # national, province, city, county; none: community org
    Column("registration_authority", String(6)),  # the registering bureau (GB/T 2260)
    Column("division", String(6), nullable=False),  # the county of its domicile
    Column("domicile", String(12), nullable=False),
    Column("registered_on", Date, nullable=False),  # 成立登记, or 备案 of a community org
    Column("charity_since", Date),
    Column("revoked_on", Date),  # 撤销登记 / 吊销登记证书: in liquidation
    Column("revoked_by", String(30)),
    Column("ended_on", Date),  # 注销, or the end of a filing
    Index("ix_evaluation_organizations_division", "division"),
)

reports = Table(
    "evaluation_reports",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("submitted_on", Date, nullable=False),
)

inspections = Table(
    "evaluation_inspections",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("conclusion", String(30), nullable=False),
    Column("concluded_on", Date, nullable=False),
)

penalties = Table(
    "evaluation_penalties",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("decision_number", String(200), primary_key=True),
    Column("penalty", String(30), nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("minor", Boolean, nullable=False),
    Column("carried_out_on", Date),
)

credit_entries = Table(
    "evaluation_credit_entries",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("list", String(20), primary_key=True),
    Column("listed_on", Date, primary_key=True),
    Column("trigger", String(40), nullable=False),
    Column("removed_on", Date),
)

disposals = Table(
    "evaluation_disposals",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("ordered_on", Date, primary_key=True),
    Column("due_on", Date, nullable=False),
    Column("completed_on", Date),
)

ratings = Table(
    "evaluation_ratings",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),  # the REGISTRY stream sequence: decision order
    Column("decided_on", Date, nullable=False),
    Column("grade", String(2)),  # none: cancelled
    Column("regime", String(20), nullable=False),
    Column("valid_from", Date),
    Column("valid_until", Date),
)

investigations = Table(
    "evaluation_investigations",
    metadata,
    Column("investigation_id", String(64), primary_key=True),
    Column("organization_id", String(64), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date),
    Index("ix_evaluation_investigations_organization", "organization_id"),
)

PROJECTION_TABLES = (
    organizations,
    reports,
    inspections,
    penalties,
    credit_entries,
    disposals,
    ratings,
)

# The grading workflow's read models, written with its events in one unit of work.
rounds = Table(
    "evaluation_rounds",
    metadata,
    Column("round_id", String(64), primary_key=True),
    Column("authority", String(6), nullable=False),
    Column("title", String(300), nullable=False),
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False),
    Column("regime", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_evaluation_rounds_authority", "authority"),
)

applications = Table(
    "evaluation_applications",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("round_id", String(64), nullable=False),
    Column("organization_id", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("submitted_on", Date, nullable=False),
    Column("grade", String(2)),
    Column("version", Integer, nullable=False),
    Index("ix_evaluation_applications_round", "round_id"),
)

objections = Table(
    "evaluation_objections",
    metadata,
    Column("objection_id", String(64), primary_key=True),
    Column("application_id", String(64), nullable=False),
    Column("round_id", String(64), nullable=False),
    Column("authority", String(6), nullable=False),
    Column("lodged_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("decided_on", Date),
    Index("ix_evaluation_objections_open", "decided_on", "due_on"),
)

# Ratings to record on the registry: an outbox, one row per evaluation_id, written in the unit
# of work of the event that decided it. state: pending (to send at next_attempt_at), sent (the
# registry answered 2xx, or its rating_changed was seen: never sent again), parked (a 4xx:
# shown with its problem, sent again only when a person asks).
registry_records = Table(
    "evaluation_registry_records",
    metadata,
    Column("evaluation_id", String(64), primary_key=True),
    Column("organization_id", String(64), nullable=False),
    Column("application_id", String(64)),
    Column("division", String(6), nullable=False),  # whose keys see it
    Column("source", String(40), nullable=False),
    Column("body", JSON, nullable=False),  # the registry's PUT …/rating body
    Column("state", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime()),
    Column("last_status", Integer),
    Column("last_error", String(300)),
    Column("problem", JSON),  # the registry's problem+json of a parked record
    Column("created_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime()),
    Column("recorded_on", Date),  # the day the registry's rating_changed was seen on REGISTRY
    Column("registry_position", BigInteger),  # that event's position in the registry's store
    Index("ix_evaluation_registry_records_due", "state", "next_attempt_at"),
)

# Grades in question (39号 proposals, 2026 核查评估 and 跟踪评估 cases), written with their
# events; a follow_up case names its draw (`draw`, e.g. 420100-2026) and its rank in it.
rating_changes = Table(
    "evaluation_rating_changes",
    metadata,
    Column("reaction_id", String(64), primary_key=True),
    Column("organization_id", String(64), nullable=False),
    Column("division", String(6), nullable=False),
    Column("kind", String(20), nullable=False),  # proposal, verification, follow_up
    Column("change", String(20)),  # downgrade, cancellation; none: a follow_up
    Column("rule", String(40), nullable=False),
    Column("fact", String(500), nullable=False),
    Column("registry_event_id", String(64)),  # none: a follow_up
    Column("registry_event", String(60)),
    Column("raised_on", Date, nullable=False),
    Column("grade", String(2), nullable=False),
    Column("proposed_grade", String(2)),
    Column("state", String(20), nullable=False),  # open, or the decision's outcome
    Column("decided_grade", String(2)),
    Column("decided_on", Date),
    Column("reason", String(2000)),
    Column("version", Integer, nullable=False),
    Column("grade_decided_on", Date),  # the decision of that grade (rows since evaluation_0006)
    Column("draw", String(20)),  # a follow_up's draw: <authority>-<year>
    Column("rank", Integer),  # its rank in the draw, from 1
    Column("seed", BigInteger),  # the draw's seed
    Index("ix_evaluation_rating_changes_state", "state", "raised_on"),
    Index("ix_evaluation_rating_changes_draw", "draw", "rank"),
)

# Grades recorded as expired: one row (and one grade_expired event) per grade, never twice.
expired_grades = Table(
    "evaluation_expired_grades",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("decided_on", Date, primary_key=True),
    Column("grade", String(2), nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("expired_on", Date, nullable=False),
)

# The 公示 board: a published decision with its window, written with decision_published (and
# rewritten by a 复核 that changes the grade). Public: name and credit code come from the
# projection when read.
publicity = Table(
    "evaluation_publicity",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("round_id", String(64), nullable=False),
    Column("authority", String(6), nullable=False),
    Column("organization_id", String(64), nullable=False),
    Column("score", Float),
    Column("proposed_grade", String(2)),
    Column("decided_grade", String(2), nullable=False),  # the committee's, or the 复核's
    Column("decided_on", Date, nullable=False),
    Column("published_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),  # the last day of the 公示
    Index("ix_evaluation_publicity_window", "authority", "ends_on"),
)
