"""evaluation: the 公示 board (decisions in their publicity window) and the credit code of
each organization on the projection (rebuild the projection to fill it for rows already there)

Revision ID: evaluation_0005
Revises: evaluation_0004
Create Date: 2026-12-16
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0005"
down_revision: str | None = "evaluation_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)


def upgrade() -> None:
    op.add_column("evaluation_organizations", sa.Column("credit_code", sa.String(18)))
    op.create_table(
        "evaluation_publicity",
        sa.Column("application_id", ID, primary_key=True),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("authority", sa.String(6), nullable=False),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("proposed_grade", sa.String(2)),
        sa.Column("decided_grade", sa.String(2), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("published_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
    )
    op.create_index(
        "ix_evaluation_publicity_window", "evaluation_publicity", ["authority", "ends_on"]
    )


def downgrade() -> None:
    op.drop_index("ix_evaluation_publicity_window", "evaluation_publicity")
    op.drop_table("evaluation_publicity")
    with op.batch_alter_table("evaluation_organizations") as batch:
        batch.drop_column("credit_code")
