"""notifier: the credit-list facts the unreachable signal reads (found unreachable; delisted)

Revision ID: notifier_0005
Revises: notifier_0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "notifier_0005"
down_revision: str | None = "notifier_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifier_credit_facts",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("fact", sa.String(20), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notifier_credit_facts")
