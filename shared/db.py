"""Database engines for every service: SQLite (embedded default) and PostgreSQL, async and sync."""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import (
    ColumnElement,
    Engine,
    Table,
    Text,
    any_,
    bindparam,
    create_engine,
    event,
    insert,
    literal,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

# Execution option that marks a connection as a writer. On SQLite a writer opens its transaction
# with BEGIN IMMEDIATE, so two writers queue on the database lock instead of failing on upgrade.
WRITE = {"socorg_write": True}


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def async_url(url: str) -> str:
    """The async driver URL for a configured database URL."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if u.get_backend_name() == "postgresql":
        return u.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ValueError(f"unsupported database URL {u.render_as_string()!r}: use sqlite or postgresql")


def sync_url(url: str) -> str:
    """The sync driver URL (Alembic, CLI commands) for a configured database URL."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.set(drivername="sqlite").render_as_string(hide_password=False)
    return u.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below own transaction control (pysqlite's own is lazy).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        writer = conn.get_execution_options().get("socorg_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def make_async_engine(url: str, **kw: Any) -> AsyncEngine:
    aurl = async_url(url)
    if is_sqlite(url):
        engine = create_async_engine(aurl, connect_args={"timeout": 30}, **kw)
        _configure_sqlite(engine.sync_engine)
        return engine
    # A connection opened past the pool is closed again on return: a pool smaller than the
    # requests in flight opens and closes a connection per request. Size it to them.
    kw.setdefault("pool_size", 20)
    kw.setdefault("max_overflow", 20)
    # No pre-ping (a round trip per checkout): a connection that died with a server restart
    # fails its statement, SQLAlchemy invalidates the pool, and the next checkout reconnects.
    kw.setdefault("pool_recycle", 1800)
    # The services' queries are short and indexed. JIT compiling a plan whose estimated cost
    # is high, and starting parallel workers for a scan, each cost milliseconds to tens of
    # them before the first row: more than such a query takes. Sessions run without both.
    options = "-c jit=off -c max_parallel_workers_per_gather=0"
    kw.setdefault("connect_args", {"options": options})
    if kw.get("isolation_level") == "AUTOCOMMIT":
        # Its connections never hold a transaction: nothing to roll back on their return.
        kw.setdefault("pool_reset_on_return", None)
    return create_async_engine(aurl, **kw)


def make_sync_engine(url: str, **kw: Any) -> Engine:
    engine = create_engine(sync_url(url), **kw)
    if is_sqlite(url):
        _configure_sqlite(engine)
    return engine


def among(dialect: str, column: ColumnElement[Any], values: list[str]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `column = ANY(array)`: one parameter, whatever the
    number of values (an IN list binds, and is compiled for, every value)."""
    if dialect == "postgresql":
        return column == any_(literal(values, ARRAY(Text)))
    return column.in_(values)


def among_bound(dialect: str, column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`among`, its values bound at execution as the parameter `name`: a statement built once
    (and its cache key computed once) serves every call."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(Text)))
    return column.in_(bindparam(name, expanding=True))


async def insert_rows(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (each with every column of the first) in the connection's transaction.

    On PostgreSQL one COPY: it costs the service a fraction of what an executemany spends
    binding and batching parameters row by row. A key violation raises the same
    IntegrityError an INSERT would.
    """
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        await conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    raw: Any = (await conn.get_raw_connection()).driver_connection
    try:
        async with raw.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                await copy.write_row([row[c] for c in columns])
    except psycopg.Error as exc:
        raise DBAPIError.instance(sql, None, exc, psycopg.Error, dialect=conn.dialect) from exc
