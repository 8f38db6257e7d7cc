"""Fixtures shared by every tier: databases (SQLite files, a fresh PostgreSQL database) and NATS.

The PostgreSQL tier runs against SOCORG_TEST_POSTGRES_URL (default: the local server's `test`
database as user postgres), in a database of its own created for the run and dropped after.
When PostgreSQL cannot be reached those tests are skipped and the run says so loudly at the
end; with SOCORG_REQUIRE_POSTGRES=1 (CI) they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import make_async_engine
from shared.migrate import upgrade

PG_URL = os.environ.get(
    "SOCORG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("SOCORG_REQUIRE_POSTGRES") == "1"
_pg_state: dict[str, object] = {"ran": 0, "skipped_because": None}


def _admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


@contextmanager
def pg_database(service: str, *, password: str | None = None) -> Iterator[str]:
    """A fresh PostgreSQL database, migrated to `service`'s newest schema, dropped on leaving.

    Where PostgreSQL cannot be reached the test is skipped (failed under REQUIRE_PG) and the
    run's summary says why."""
    name = f"socorg_test_{service}_{uuid.uuid4().hex[:10]}"
    try:
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach PostgreSQL means the same
        _pg_state["skipped_because"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL tier required but unreachable at {PG_URL}: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    url = make_url(PG_URL).set(database=name)
    if password is not None:
        url = url.set(password=password)
    rendered = url.render_as_string(hide_password=False)
    upgrade(service, rendered)
    try:
        yield rendered
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def service_database(
    service: str, *, on_sqlite: bool, tmp_path: Path, request: pytest.FixtureRequest
) -> str:
    """`service`'s own database for one test, empty and migrated: a SQLite file in `tmp_path`,
    or the run's PostgreSQL database of the service (the fixture `<service>_pg_url`) emptied."""
    if on_sqlite:
        url = f"sqlite:///{tmp_path / f'{service}.db'}"
        upgrade(service, url)
        return url
    url = str(request.getfixturevalue(f"{service}_pg_url"))
    _truncate_all(url)
    return url


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, migrated to the newest schema."""
    with pg_database("registry") as url:
        yield url


def _truncate_all(url: str) -> None:
    """Empty every table the run's database has (platform, services', tests'), not the schema."""
    engine = create_engine(url)
    with engine.begin() as conn:
        names = [
            row[0]
            for row in conn.execute(
                text(
                    "SELECT quote_ident(tablename) FROM pg_tables "
                    "WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
                )
            )
        ]
        if names:
            conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY"))
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'test.db'}"
    upgrade("registry", url)
    return url


@pytest.fixture
def pg_url(pg_database_url: str) -> str:
    _truncate_all(pg_database_url)
    return pg_database_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes this runs once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_async_engine(database_url)
    yield eng
    await eng.dispose()


def pytest_configure(config: pytest.Config) -> None:
    # The fault tier (tests/fault, `make test-fault`) needs PostgreSQL: its tests are marked
    # `postgres` too, so they count in the PostgreSQL tier and fail without it in CI.
    config.addinivalue_line("markers", "fault: kills and restarts processes under write load")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and "postgres" in report.keywords:
        _pg_state["ran"] = int(_pg_state["ran"]) + 1  # type: ignore[call-overload]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    ran = _pg_state["ran"]
    why = _pg_state["skipped_because"]
    tr = terminalreporter
    if why:
        tr.write_sep("!", "PostgreSQL tier SKIPPED", red=True, bold=True)
        tr.write_line(f"PostgreSQL tier: SKIPPED ({why}); set SOCORG_TEST_POSTGRES_URL", red=True)
    else:
        tr.write_line(f"PostgreSQL tier: ran {ran} tests")


class NatsServer:
    """A nats-server of the test's own, from the wheel, on a free port with a temporary store."""

    def __init__(self, store: Path) -> None:
        from shared import natsserver

        self._ns = natsserver
        self.store = store
        self.port = natsserver.free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = self._ns.start(self.port, self.store)

    def kill(self) -> None:
        """SIGKILL: no chance to flush, as in a crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.kill()
        self.start()


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats")
    server.start()
    yield server
    server.stop()
