"""name search index: pg_trgm GIN on organizations.name (PostgreSQL)

`name_contains` is a `LIKE '%…%'` search; a trigram index answers it for Chinese names too
(three characters or more) instead of a scan of the whole register. SQLite has no such index
and keeps scanning, which is fine at the embedded default's sizes.

Revision ID: registry_0002
Revises: registry_0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "registry_0002"
down_revision: str | None = "registry_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_organizations_name_trgm "
        "ON organizations USING gin (name gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_organizations_name_trgm")
