"""organizations: annual-report standing (the columns of `overdue_years` searches)

Revision ID: registry_0005_credit
Revises: registry_0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "registry_0005_credit"
down_revision: str | None = "registry_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "report_from_year",
    "report_until_year",
    "charity_from_year",
    "last_report_year",
    "overdue_base",
)


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer))
    op.create_index("ix_organizations_overdue", "organizations", ["overdue_base"])


def downgrade() -> None:
    op.drop_index("ix_organizations_overdue", "organizations")
    with op.batch_alter_table("organizations") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
