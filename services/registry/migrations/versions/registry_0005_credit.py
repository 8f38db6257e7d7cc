"""organizations: annual-report standing (`overdue_years` searches) and the credit lists

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
        for name in ("abnormal_list", "serious_list"):
            batch.add_column(sa.Column(name, sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_organizations_overdue", "organizations", ["overdue_base"])
    for name in ("abnormal", "serious"):
        op.create_index(
            f"ix_organizations_{name}",
            "organizations",
            ["registered_on"],
            postgresql_where=sa.text(f"{name}_list"),
            sqlite_where=sa.text(f"{name}_list"),
        )


def downgrade() -> None:
    for name in ("abnormal", "serious"):
        op.drop_index(f"ix_organizations_{name}", "organizations")
    op.drop_index("ix_organizations_overdue", "organizations")
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("serious_list")
        batch.drop_column("abnormal_list")
        for name in reversed(COLUMNS):
            batch.drop_column(name)
