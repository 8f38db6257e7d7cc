"""Alembic environment shared by every service; the URL comes from the caller's Config."""

from alembic import context

from shared.db import make_sync_engine

config = context.config
url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError("no database URL given to Alembic")

engine = make_sync_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
