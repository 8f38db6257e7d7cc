"""relay_blocked: events NATS refuses for good, held until published or skipped by an operator

Revision ID: platform_0004
Revises: platform_0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.tables import UtcDateTime

revision: str = "platform_0004"
down_revision: str | None = "platform_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "relay_blocked",
        sa.Column("producer", sa.String(50), primary_key=True),
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("blocked_at", UtcDateTime(), nullable=False),
        sa.Column("tried_at", UtcDateTime(), nullable=False),
        sa.Column("resolved_at", UtcDateTime()),
        sa.Column("skipped_at", UtcDateTime()),
        sa.Column("skipped_by", sa.String(200)),
        sa.Column("skip_reason", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("relay_blocked")
