"""organizations: when the latest grade starts and the grade it replaced until then; derived
columns written again for rows older than them

A grade decided under the 2026 revision is in force from 1 January after its announcement
(DOMAIN.md, Rating), and the grade before it stays in force until then. The row keeps both,
so `?grade=` answers "in force today" from the row (adapters/search.py, grade_in_force). The
covering search indexes carry the new columns like every other filter column (registry_0003).

Rows written before this revision, and before registry_0005 (annual-report standing), get
their derived columns from their events (adapters/reproject.py), with the locality's
reporting settings as the service is configured.

Revision ID: registry_0006
Revises: registry_0005_credit
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.registry.adapters.reproject import reproject
from services.registry.settings import RegistrySettings

revision: str = "registry_0006"
down_revision: str | None = "registry_0005_credit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("rating_valid_from", sa.Date),
    ("grade_before", sa.String(2)),
    ("grade_before_valid_until", sa.Date),
)
FILTERS = [
    "kind",
    "status",
    "grade",
    "rating_valid_until",
    "category",
    "level",
    "charity",
    "code_override",
    "urban",
]
NEW = [name for name, _ in COLUMNS]
PATTERN = {"postgresql_ops": {"domicile": "varchar_pattern_ops"}}


def _covering(filters: list[str]) -> None:
    for name, columns, options in (
        (
            "ix_organizations_domicile",
            ["domicile"],
            {**PATTERN, "postgresql_include": ["registered_on", "id", *filters]},
        ),
        (
            "ix_organizations_registered",
            ["registered_on", "id"],
            {"postgresql_include": ["domicile", *filters]},
        ),
    ):
        op.drop_index(name, table_name="organizations")
        op.create_index(name, "organizations", columns, **options)


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind))
    op.create_index(
        "ix_organizations_grade_before",
        "organizations",
        ["grade_before"],
        postgresql_where=sa.text("grade_before IS NOT NULL"),
        sqlite_where=sa.text("grade_before IS NOT NULL"),
    )
    _covering([*FILTERS, *NEW])
    reproject(op.get_bind(), RegistrySettings().reporting())


def downgrade() -> None:
    _covering(FILTERS)
    op.drop_index("ix_organizations_grade_before", "organizations")
    with op.batch_alter_table("organizations") as batch:
        for name in reversed(NEW):
            batch.drop_column(name)
