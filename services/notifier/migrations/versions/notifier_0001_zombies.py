"""notifier: the projection of REGISTRY the zombie scan reads, and the flags it raises

Revision ID: notifier_0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from services.notifier.adapters.tables import metadata

revision: str = "notifier_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("notifier",)
depends_on: str | Sequence[str] | None = ("platform_0002",)


def upgrade() -> None:
    # The tables as they stand at this revision; later changes get migrations of their own.
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
