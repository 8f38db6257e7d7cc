"""A SQLAlchemy Core statement compiled once to the SQL and parameters psycopg takes, so the
PostgreSQL unit of work can send read-model writes itself, pipelined with its COMMIT."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase


@dataclass(frozen=True)
class Write:
    sql: str
    params: dict[str, Any]
    table: str = ""  # the table it writes


def compiled(statement: UpdateBase, parameters: Mapping[str, Any], dialect: Dialect) -> Write:
    """A Core statement as psycopg takes it: SQL with %(name)s placeholders, and its
    parameters through the dialect's bind processors."""
    done, processors = _compile(statement, tuple(parameters), dialect)
    params = dict(done.construct_params(dict(parameters)) or {})
    for key, processor in processors:
        if params.get(key) is not None:
            params[key] = processor(params[key])
    table = getattr(statement, "table", None)
    return Write(str(done), params, getattr(table, "name", ""))


@lru_cache(maxsize=256)
def _compile(
    statement: UpdateBase, keys: tuple[str, ...], dialect: Dialect
) -> tuple[SQLCompiler, list[tuple[str, Any]]]:
    """Compiled once per statement and set of parameter names: the read model's statements
    are module constants (values as bind parameters), so this is a handful of entries."""
    done = statement.compile(dialect=dialect, column_keys=list(keys))
    processors: list[tuple[str, Any]] = []
    for key, bind in done.binds.items():
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            processors.append((key, processor))
    return done, processors
