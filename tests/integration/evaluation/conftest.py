"""Fixtures of the evaluation tests: its own database, migrated, beside the registry's, on
SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from shared.db import is_sqlite
from shared.migrate import upgrade
from tests.conftest import PG_URL, _admin_engine, _truncate_all


@pytest.fixture(scope="session")
def evaluation_pg_url() -> Iterator[str]:
    """A PostgreSQL database of the evaluation's own for this run (the registry has another)."""
    name = f"socorg_evaluation_{uuid.uuid4().hex[:10]}"
    try:
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - the registry's fixture reports it the same way
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {exc}")
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    upgrade("evaluation", url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def registry_and_evaluation(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[str, str]:
    """The registry's database (SQLite or PostgreSQL) and the evaluation's, on the same backend."""
    if is_sqlite(database_url):
        url = f"sqlite:///{tmp_path / 'evaluation.db'}"
        upgrade("evaluation", url)
        return database_url, url
    url = str(request.getfixturevalue("evaluation_pg_url"))
    _truncate_all(url)
    return database_url, url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def evaluation_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The evaluation's database alone, empty and migrated, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'evaluation.db'}"
        upgrade("evaluation", url)
        return url
    url = str(request.getfixturevalue("evaluation_pg_url"))
    _truncate_all(url)
    return url
