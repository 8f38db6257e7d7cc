"""metrics: reported indicators (append-only, with their audit trail)

Revision ID: metrics_0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "metrics_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("metrics",)
depends_on: str | Sequence[str] | None = ("platform_0002",)

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "metrics_reported",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("place", sa.String(12), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("document", sa.String(500), nullable=False),
        sa.Column("note", sa.String(2000)),
        sa.Column("corrects", ID, sa.ForeignKey("metrics_reported.id")),
        sa.Column("reported_by", sa.String(64), nullable=False),
        sa.Column("reported_by_name", sa.String(200), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_metrics_reported_lookup", "metrics_reported", ["indicator", "place", "as_of"]
    )


def downgrade() -> None:
    op.drop_table("metrics_reported")
