"""registry read model: organizations, annual_reports

Revision ID: registry_0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "registry_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("registry",)
depends_on: str | Sequence[str] | None = ("platform_0002",)


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("credit_code", sa.String(18), unique=True),
        sa.Column("filing_number", sa.String(100), unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("category", sa.String(50)),
        sa.Column("level", sa.String(20)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("grade", sa.String(2)),
        sa.Column("rating_valid_until", sa.Date),
        sa.Column("domicile", sa.String(12), nullable=False),
        sa.Column("street", sa.String(9)),
        sa.Column("community", sa.String(12)),
        sa.Column("urban", sa.Boolean),
        sa.Column("registered_on", sa.Date, nullable=False),
        sa.Column("charity", sa.Boolean, nullable=False),
        sa.Column("code_override", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    for column in ("kind", "category", "level", "status", "grade"):
        op.create_index(f"ix_organizations_{column}", "organizations", [column])
    op.create_index(
        "ix_organizations_domicile",
        "organizations",
        ["domicile"],
        postgresql_ops={"domicile": "varchar_pattern_ops"},
    )
    op.create_index("ix_organizations_registered", "organizations", ["registered_on", "id"])
    op.create_table(
        "annual_reports",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("submitted_on", sa.Date, nullable=False),
        sa.Column("staff_employed", sa.Integer),
        sa.Column("conclusion", sa.String(30)),
        sa.Column("concluded_on", sa.Date),
    )
    op.create_index("ix_annual_reports_year", "annual_reports", ["year"])


def downgrade() -> None:
    op.drop_table("annual_reports")
    op.drop_table("organizations")
