"""socorg_expect_version(): a stream's version check that fails the statement (PostgreSQL)

A unit of work's appends reach PostgreSQL in one statement sent together with its COMMIT,
so nothing can be decided on the client between them: a stream found at another version
than expected must abort the transaction by itself (SQLSTATE SO409, the stream, the
expected and the current version in DETAIL as JSON), read-model writes included.

Revision ID: platform_0003
Revises: platform_0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "platform_0003"
down_revision: str | None = "platform_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION socorg_expect_version(stream text, expected int, current int)
        RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            IF current IS DISTINCT FROM expected THEN
                RAISE EXCEPTION 'stream % is at version %, the append expected %',
                    stream, current, expected
                    USING ERRCODE = 'SO409',
                          DETAIL = json_build_object(
                              'stream', stream, 'expected', expected, 'current', current
                          )::text;
            END IF;
            RETURN true;
        END
        $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS socorg_expect_version(text, int, int)")
