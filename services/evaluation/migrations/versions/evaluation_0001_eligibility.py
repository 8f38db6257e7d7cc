"""evaluation: the projection of REGISTRY eligibility reads, and the investigations read model

Revision ID: evaluation_0001
Revises:
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "evaluation_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("evaluation",)
depends_on: str | Sequence[str] | None = ("platform_0004",)

ORG = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "evaluation_organizations",
        sa.Column("organization_id", ORG, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("level", sa.String(20)),
        sa.Column("registration_authority", sa.String(6)),
        sa.Column("division", sa.String(6), nullable=False),
        sa.Column("domicile", sa.String(12), nullable=False),
        sa.Column("registered_on", sa.Date, nullable=False),
        sa.Column("charity_since", sa.Date),
        sa.Column("revoked_on", sa.Date),
        sa.Column("revoked_by", sa.String(30)),
        sa.Column("ended_on", sa.Date),
    )
    op.create_index(
        "ix_evaluation_organizations_division", "evaluation_organizations", ["division"]
    )
    op.create_table(
        "evaluation_reports",
        sa.Column("organization_id", ORG, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("submitted_on", sa.Date, nullable=False),
    )
    op.create_table(
        "evaluation_inspections",
        sa.Column("organization_id", ORG, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("conclusion", sa.String(30), nullable=False),
        sa.Column("concluded_on", sa.Date, nullable=False),
    )
    op.create_table(
        "evaluation_penalties",
        sa.Column("organization_id", ORG, primary_key=True),
        sa.Column("decision_number", sa.String(200), primary_key=True),
        sa.Column("penalty", sa.String(30), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("minor", sa.Boolean, nullable=False),
        sa.Column("carried_out_on", sa.Date),
    )
    op.create_table(
        "evaluation_credit_entries",
        sa.Column("organization_id", ORG, primary_key=True),
        sa.Column("list", sa.String(20), primary_key=True),
        sa.Column("listed_on", sa.Date, primary_key=True),
        sa.Column("trigger", sa.String(40), nullable=False),
        sa.Column("removed_on", sa.Date),
    )
    op.create_table(
        "evaluation_disposals",
        sa.Column("organization_id", ORG, primary_key=True),
        sa.Column("ordered_on", sa.Date, primary_key=True),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("completed_on", sa.Date),
    )
    op.create_table(
        "evaluation_ratings",
        sa.Column("organization_id", ORG, primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("grade", sa.String(2)),
        sa.Column("regime", sa.String(20), nullable=False),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_until", sa.Date),
    )
    op.create_table(
        "evaluation_investigations",
        sa.Column("investigation_id", sa.String(64), primary_key=True),
        sa.Column("organization_id", ORG, nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("closed_on", sa.Date),
    )
    op.create_index(
        "ix_evaluation_investigations_organization",
        "evaluation_investigations",
        ["organization_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_evaluation_investigations_organization", "evaluation_investigations")
    op.drop_index("ix_evaluation_organizations_division", "evaluation_organizations")
    for table in (
        "evaluation_investigations",
        "evaluation_ratings",
        "evaluation_disposals",
        "evaluation_credit_entries",
        "evaluation_penalties",
        "evaluation_inspections",
        "evaluation_reports",
        "evaluation_organizations",
    ):
        op.drop_table(table)
