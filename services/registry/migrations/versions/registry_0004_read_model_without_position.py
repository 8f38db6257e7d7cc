"""organizations without `position`

The read model is written before the events it reflects are appended: the appends go to
PostgreSQL in one statement with the COMMIT, so no event position is known while the row is
written. No reader used the column; an export states its position from its own snapshot.

Revision ID: registry_0004
Revises: registry_0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "registry_0004"
down_revision: str | None = "registry_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("position")


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("position", sa.BigInteger, nullable=False, server_default="0"))
