"""Fixtures of the notifier tests: its own database, migrated, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from shared.migrate import upgrade
from tests.conftest import PG_URL, _admin_engine


@pytest.fixture(scope="session")
def notifier_pg_url() -> Iterator[str]:
    """A PostgreSQL database of the notifier's own for this run (the registry has another)."""
    name = f"socorg_notifier_{uuid.uuid4().hex[:10]}"
    try:
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - the registry's fixture reports it the same way
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {exc}")
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    upgrade("notifier", url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def notifier_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The notifier's database, empty and migrated, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'notifier.db'}"
        upgrade("notifier", url)
        return url
    url = str(request.getfixturevalue("notifier_pg_url"))
    from tests.conftest import _truncate_all

    _truncate_all(url)
    return url


@pytest.fixture
def paired_urls(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[str, str]:
    """The registry's database (SQLite or PostgreSQL) and the notifier's, on the same backend."""
    from shared.db import is_sqlite
    from tests.conftest import _truncate_all

    if is_sqlite(database_url):
        url = f"sqlite:///{tmp_path / 'notifier.db'}"
        upgrade("notifier", url)
        return database_url, url
    url = str(request.getfixturevalue("notifier_pg_url"))
    _truncate_all(url)
    return database_url, url
