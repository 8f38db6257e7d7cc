"""evaluation: the ratings to record on the registry (an outbox, one row per evaluation_id)

Revision ID: evaluation_0003
Revises: evaluation_0002
Create Date: 2026-12-14
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.tables import UtcDateTime

revision: str = "evaluation_0003"
down_revision: str | None = "evaluation_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "evaluation_registry_records",
        sa.Column("evaluation_id", ID, primary_key=True),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("application_id", ID),
        sa.Column("division", sa.String(6), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime()),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_error", sa.String(300)),
        sa.Column("problem", sa.JSON),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime()),
        sa.Column("recorded_on", sa.Date),
        sa.Column("registry_position", sa.BigInteger),
    )
    op.create_index(
        "ix_evaluation_registry_records_due",
        "evaluation_registry_records",
        ["state", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_evaluation_registry_records_due", "evaluation_registry_records")
    op.drop_table("evaluation_registry_records")
