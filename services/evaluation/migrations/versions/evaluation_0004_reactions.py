"""evaluation: reactions to registry facts (proposals, 核查评估) and expired grades

Revision ID: evaluation_0004
Revises: evaluation_0003
Create Date: 2026-12-15
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0004"
down_revision: str | None = "evaluation_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "evaluation_rating_changes",
        sa.Column("reaction_id", ID, primary_key=True),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("division", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("fact", sa.String(500), nullable=False),
        sa.Column("registry_event_id", ID, nullable=False),
        sa.Column("registry_event", sa.String(60), nullable=False),
        sa.Column("raised_on", sa.Date, nullable=False),
        sa.Column("grade", sa.String(2), nullable=False),
        sa.Column("proposed_grade", sa.String(2)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decided_grade", sa.String(2)),
        sa.Column("decided_on", sa.Date),
        sa.Column("reason", sa.String(2000)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_evaluation_rating_changes_state", "evaluation_rating_changes", ["state", "raised_on"]
    )
    op.create_table(
        "evaluation_expired_grades",
        sa.Column("organization_id", ID, primary_key=True),
        sa.Column("decided_on", sa.Date, primary_key=True),
        sa.Column("grade", sa.String(2), nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("expired_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("evaluation_expired_grades")
    op.drop_index("ix_evaluation_rating_changes_state", "evaluation_rating_changes")
    op.drop_table("evaluation_rating_changes")
