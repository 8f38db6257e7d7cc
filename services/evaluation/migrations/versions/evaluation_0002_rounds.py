"""evaluation: the grading workflow's read models (rounds, applications, objections)

Revision ID: evaluation_0002
Revises: evaluation_0001
Create Date: 2026-12-12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0002"
down_revision: str | None = "evaluation_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "evaluation_rounds",
        sa.Column("round_id", ID, primary_key=True),
        sa.Column("authority", sa.String(6), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("opens_on", sa.Date, nullable=False),
        sa.Column("closes_on", sa.Date, nullable=False),
        sa.Column("regime", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_evaluation_rounds_authority", "evaluation_rounds", ["authority"])
    op.create_table(
        "evaluation_applications",
        sa.Column("application_id", ID, primary_key=True),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submitted_on", sa.Date, nullable=False),
        sa.Column("grade", sa.String(2)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_evaluation_applications_round", "evaluation_applications", ["round_id"])
    op.create_table(
        "evaluation_objections",
        sa.Column("objection_id", ID, primary_key=True),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("authority", sa.String(6), nullable=False),
        sa.Column("lodged_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("decided_on", sa.Date),
    )
    op.create_index(
        "ix_evaluation_objections_open", "evaluation_objections", ["decided_on", "due_on"]
    )


def downgrade() -> None:
    op.drop_index("ix_evaluation_objections_open", "evaluation_objections")
    op.drop_index("ix_evaluation_applications_round", "evaluation_applications")
    op.drop_index("ix_evaluation_rounds_authority", "evaluation_rounds")
    for table in ("evaluation_objections", "evaluation_applications", "evaluation_rounds"):
        op.drop_table(table)
