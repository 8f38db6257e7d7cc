"""notifier: the projection of REGISTRY the zombie scan reads, and the flags it raises

Revision ID: notifier_0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "notifier_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("notifier",)
depends_on: str | Sequence[str] | None = ("platform_0002",)


def upgrade() -> None:
    op.create_table(
        "notifier_organizations",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("division", sa.String(6), nullable=False),
        sa.Column("domicile", sa.String(12), nullable=False),
        sa.Column("registered_on", sa.Date, nullable=False),
        sa.Column("registered_year", sa.Integer, nullable=False),
        sa.Column("first_year", sa.Integer),
        sa.Column("charity_since", sa.Date),
        sa.Column("charity_year", sa.Integer),
        sa.Column("supervised", sa.Boolean, nullable=False),
        sa.Column("revoked_on", sa.Date),
        sa.Column("revoked_by", sa.String(30)),
        sa.Column("deregistered_on", sa.Date),
        sa.Column("ended_on", sa.Date),
    )
    op.create_index("ix_notifier_organizations_division", "notifier_organizations", ["division"])
    op.create_table(
        "notifier_reports",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("submitted_on", sa.Date, nullable=False),
    )
    op.create_table(
        "notifier_disposals",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("ordered_on", sa.Date, primary_key=True),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("completed_on", sa.Date),
    )
    op.create_table(
        "zombie_flags",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("flag", sa.String(40), primary_key=True),
        sa.Column("division", sa.String(6), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("flagged_on", sa.Date, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("since", sa.Date),
        sa.Column("first_missed", sa.Integer),
        sa.Column("last_missed", sa.Integer),
        sa.Column("cleared_on", sa.Date),
        sa.Column("cleared_reason", sa.String(30)),
    )
    op.create_index("ix_zombie_flags_division", "zombie_flags", ["division", "flag", "active"])


def downgrade() -> None:
    for table in ("zombie_flags", "notifier_disposals", "notifier_reports"):
        op.drop_table(table)
    op.drop_index("ix_notifier_organizations_division", "notifier_organizations")
    op.drop_table("notifier_organizations")
