"""notifier: ratings on the projection, and the reminders raised (one per key)

Revision ID: notifier_0003
Revises: notifier_0002
Create Date: 2026-12-20
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.tables import BigId

revision: str = "notifier_0003"
down_revision: str | None = "notifier_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifier_ratings",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("grade", sa.String(4)),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date),
    )
    op.create_index("ix_notifier_ratings_valid_until", "notifier_ratings", ["valid_until"])
    op.create_table(
        "notifier_reminders",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("organization_id", sa.String(64), nullable=False),
        sa.Column("reminder", sa.String(30), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("division", sa.String(6), nullable=False),
        sa.Column("raised_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("review_deadline", sa.Date),
        sa.Column("grade", sa.String(4)),
        sa.Column("ordered_on", sa.Date),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.UniqueConstraint(
            "organization_id", "reminder", "period", name="uq_notifier_reminders_key"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_notifier_reminders_division", "notifier_reminders", ["division", "reminder"]
    )


def downgrade() -> None:
    op.drop_table("notifier_reminders")
    op.drop_index("ix_notifier_ratings_valid_until", "notifier_ratings")
    op.drop_table("notifier_ratings")
