"""notifier: the days scans recorded (a scan of an earlier day records nothing)

Revision ID: notifier_0004
Revises: notifier_0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.tables import UtcDateTime

revision: str = "notifier_0004"
down_revision: str | None = "notifier_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifier_scans",
        sa.Column("on", sa.Date, primary_key=True),
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime()),
    )


def downgrade() -> None:
    op.drop_table("notifier_scans")
