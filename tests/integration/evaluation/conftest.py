"""Fixtures of the evaluation tests: its own database, migrated, beside the registry's, on
SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.db import is_sqlite
from tests.conftest import pg_database, service_database


@pytest.fixture(scope="session")
def evaluation_pg_url() -> Iterator[str]:
    """A PostgreSQL database of the evaluation's own for this run (the registry has another)."""
    with pg_database("evaluation") as url:
        yield url


@pytest.fixture
def registry_and_evaluation(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[str, str]:
    """The registry's database (SQLite or PostgreSQL) and the evaluation's, on the same backend."""
    on_sqlite = is_sqlite(database_url)
    url = service_database("evaluation", on_sqlite=on_sqlite, tmp_path=tmp_path, request=request)
    return database_url, url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def evaluation_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The evaluation's database alone, empty and migrated, on SQLite and on PostgreSQL."""
    on_sqlite = request.param == "sqlite"
    return service_database("evaluation", on_sqlite=on_sqlite, tmp_path=tmp_path, request=request)
