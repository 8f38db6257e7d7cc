"""search indexes: covering place and registration-order indexes, name keys (PostgreSQL)

The organizations list counts its matches (up to the exact-total cap) and sorts them in
registration order. With the filter columns carried in the place index and in the
registration-order index, both are answered from the index alone, without a visit to each
matching row; kind and status are indexed together with the place.

Chinese names are searched by two-character words (养老, 慈善, 社区): pg_trgm needs three
characters and answers nothing shorter. `socorg_name_keys(name, domicile)` is the set of a
name's two-character substrings, each also prefixed with the organization's city (the first
four digits of its place). A GIN index over it finds the names holding every bigram of the
searched text (for two characters exactly the answer, for more a small superset that `LIKE`
then checks), and with a place filter of city level or below, only those in that city. It
replaces the trigram index.

Revision ID: registry_0003
Revises: registry_0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence
from typing import Any

from alembic import op

revision: str = "registry_0003"
down_revision: str | None = "registry_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The filter columns of GET /v1/organizations (services/registry/adapters/search.py).
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
PATTERN = {"postgresql_ops": {"domicile": "varchar_pattern_ops"}}
# (name, columns, options) of the btree indexes this revision makes; SQLite takes the columns
# and leaves out what only PostgreSQL has (INCLUDE, the pattern operator class).
INDEXES: list[tuple[str, list[str], dict[str, Any]]] = [
    (
        "ix_organizations_domicile",
        ["domicile"],
        {**PATTERN, "postgresql_include": ["registered_on", "id", *FILTERS]},
    ),
    (
        "ix_organizations_registered",
        ["registered_on", "id"],
        {"postgresql_include": ["domicile", *FILTERS]},
    ),
    # a kind or a status within a place, the clerk's everyday search
    (
        "ix_organizations_kind",
        ["kind", "domicile"],
        {**PATTERN, "postgresql_include": ["registered_on", "id"]},
    ),
    (
        "ix_organizations_status",
        ["status", "domicile"],
        {**PATTERN, "postgresql_include": ["registered_on", "id"]},
    ),
]
BEFORE: dict[str, tuple[list[str], dict[str, Any]]] = {
    "ix_organizations_domicile": (["domicile"], PATTERN),
    "ix_organizations_registered": (["registered_on", "id"], {}),
    "ix_organizations_kind": (["kind"], {}),
    "ix_organizations_status": (["status"], {}),
}

# Keep in step with services/registry/adapters/search.py (name_keys).
NAME_KEYS = """
CREATE OR REPLACE FUNCTION socorg_name_keys(name text, domicile text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
DECLARE
    city text := left(domicile, 4);
    bigram text;
    keys text[] := '{}';
BEGIN
    -- repeated keys are harmless: GIN stores each key of a row once
    FOR i IN 1 .. char_length(name) - 1 LOOP
        bigram := substr(name, i, 2);
        keys := keys || bigram || (city || bigram);
    END LOOP;
    RETURN keys;
END
$$
"""


def upgrade() -> None:
    for name, columns, options in INDEXES:
        op.drop_index(name, table_name="organizations")
        op.create_index(name, "organizations", columns, **options)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(NAME_KEYS)
    op.execute(
        "CREATE INDEX ix_organizations_name_keys ON organizations "
        "USING gin (socorg_name_keys(name, domicile))"
    )
    op.execute("DROP INDEX IF EXISTS ix_organizations_name_trgm")


def downgrade() -> None:
    for name, (columns, options) in BEFORE.items():
        op.drop_index(name, table_name="organizations")
        op.create_index(name, "organizations", columns, **options)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_organizations_name_trgm "
        "ON organizations USING gin (name gin_trgm_ops)"
    )
    op.execute("DROP INDEX IF EXISTS ix_organizations_name_keys")
    op.execute("DROP FUNCTION IF EXISTS socorg_name_keys(text, text)")
