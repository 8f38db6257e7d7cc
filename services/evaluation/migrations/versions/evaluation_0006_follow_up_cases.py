"""evaluation: 跟踪评估 cases among the rating changes (a follow_up names its draw, seed and
rank, and no registry event or change), and the decision of the grade in question

Revision ID: evaluation_0006
Revises: evaluation_0005
Create Date: 2026-12-17
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0006"
down_revision: str | None = "evaluation_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "evaluation_rating_changes"
NOW_OPTIONAL = {"change": sa.String(20), "registry_event_id": sa.String(64)}
NOW_OPTIONAL |= {"registry_event": sa.String(60)}


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        for name, type_ in NOW_OPTIONAL.items():
            batch.alter_column(name, existing_type=type_, nullable=True)
        batch.add_column(sa.Column("grade_decided_on", sa.Date))
        batch.add_column(sa.Column("draw", sa.String(20)))
        batch.add_column(sa.Column("rank", sa.Integer))
        batch.add_column(sa.Column("seed", sa.BigInteger))
    op.create_index("ix_evaluation_rating_changes_draw", TABLE, ["draw", "rank"])


def downgrade() -> None:
    op.drop_index("ix_evaluation_rating_changes_draw", TABLE)
    op.execute(sa.text(f"DELETE FROM {TABLE} WHERE kind = 'follow_up'"))
    with op.batch_alter_table(TABLE) as batch:
        for name in ("seed", "rank", "draw", "grade_decided_on"):
            batch.drop_column(name)
        for name, type_ in NOW_OPTIONAL.items():
            batch.alter_column(name, existing_type=type_, nullable=False)
