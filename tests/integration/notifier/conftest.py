"""Fixtures of the notifier tests: its own database, migrated, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.db import is_sqlite
from tests.conftest import pg_database, service_database


@pytest.fixture(scope="session")
def notifier_pg_url() -> Iterator[str]:
    """A PostgreSQL database of the notifier's own for this run (the registry has another)."""
    with pg_database("notifier") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifier_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The notifier's database, empty and migrated, once on SQLite and once on PostgreSQL."""
    on_sqlite = request.param == "sqlite"
    return service_database("notifier", on_sqlite=on_sqlite, tmp_path=tmp_path, request=request)


@pytest.fixture
def paired_urls(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[str, str]:
    """The registry's database (SQLite or PostgreSQL) and the notifier's, on the same backend."""
    on_sqlite = is_sqlite(database_url)
    url = service_database("notifier", on_sqlite=on_sqlite, tmp_path=tmp_path, request=request)
    return database_url, url
