"""No credential leaves a service: not in a served document, a readiness detail or a log line.

Every service runs over real HTTP on PostgreSQL (its own database, reached with a password in
the URL; the test server's trust authentication lets it in) and on a nats-server that requires
a user and password, also given in the URL.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from services.registry.main import create_app as registry_app
from services.registry.settings import RegistrySettings
from shared import catalog, natsserver
from shared.logs import JsonFormatter
from tests.conftest import pg_database
from tests.integration.servers import serve

DB_PASSWORD = "db-Pw-7f3a9c1e"
NATS_USER, NATS_PASSWORD = "socorg", "nats-Pw-0b5d2e84"


@pytest.fixture
def nats_with_password(tmp_path: Path) -> Iterator[int]:
    """A nats-server (JetStream) that admits only NATS_USER with NATS_PASSWORD."""
    port = natsserver.free_port()
    conf = tmp_path / "nats-auth.conf"
    conf.write_text(
        natsserver.config_text(port, tmp_path / "js")
        + f'authorization {{ user: "{NATS_USER}", password: "{NATS_PASSWORD}" }}\n'
    )
    proc = subprocess.Popen(
        [str(natsserver.binary()), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    natsserver.wait_for_port(port, proc=proc, what="nats-server")
    yield port
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def database_with_password(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh PostgreSQL database for one service, migrated, as a URL with a password."""
    service = request.node.callspec.params["service"]
    with pg_database(service, password=DB_PASSWORD) as url:
        yield url


def assert_no_secret(text: str) -> None:
    for secret in (DB_PASSWORD, NATS_PASSWORD):
        assert secret not in text


async def wait_ready(http: httpx.AsyncClient) -> httpx.Response:
    for _ in range(200):
        r = await http.get("/readyz")
        if r.status_code == 200:
            return r
        await asyncio.sleep(0.05)
    raise AssertionError(f"never ready: {r.text}")


async def served_documents(http: httpx.AsyncClient, producer: bool) -> str:
    paths = ["/openapi.json", "/readyz", "/healthz", "/metrics", "/docs"]
    paths += ["/asyncapi.json"] if producer else []
    texts = []
    for path in paths:
        r = await http.get(path)
        assert r.status_code == 200, (path, r.text)
        texts.append(r.text)
    return "\n".join(texts)


@pytest.mark.postgres
@pytest.mark.parametrize("service", catalog.names())
async def test_no_password_is_served_or_logged(
    service: str,
    database_with_password: str,
    nats_with_password: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = catalog.get(service)
    producer = spec.stream is not None  # and so serves /asyncapi.json
    nats_url = (
        f"nats://{NATS_USER}:{NATS_PASSWORD}@127.0.0.1:{nats_with_password},"
        f"nats://{NATS_USER}:{NATS_PASSWORD}@localhost:{nats_with_password}"
    )
    settings = spec.settings(database_url=database_with_password, nats_url=nats_url)
    assert DB_PASSWORD in settings.database_url.get_secret_value()
    async with serve(spec.create_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        ready = await wait_ready(http)
        assert ready.json()["checks"]["nats"]["ok"] is True  # connected with the password
        documents = await served_documents(http, producer)
        if producer:
            servers = (await http.get("/asyncapi.json")).json()["servers"]
            assert [s["host"] for s in servers.values()] == [
                f"127.0.0.1:{nats_with_password}",
                f"localhost:{nats_with_password}",
            ]
        else:
            assert (await http.get("/asyncapi.json")).status_code == 404
        # a library that quotes a URL in its message: the log formatter scrubs it
        logging.getLogger("test.secrets").warning("driver says %s", nats_url)
    assert_no_secret(documents)
    logged = capsys.readouterr().err
    assert "connected to NATS" in logged and f"{NATS_USER}:***@127.0.0.1" in logged
    assert "driver says" in logged
    assert_no_secret(logged)


@pytest.mark.postgres
@pytest.mark.parametrize("service", ["registry"])
async def test_no_password_in_errors_when_nats_refuses_and_the_database_is_missing(
    service: str,
    database_with_password: str,
    nats_with_password: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wrong_nats = f"nats://{NATS_USER}:{NATS_PASSWORD}x@127.0.0.1:{nats_with_password}"
    missing_db = make_url(database_with_password).set(database="socorg_no_such_database")
    settings = RegistrySettings(
        database_url=missing_db.render_as_string(hide_password=False),
        nats_url=wrong_nats,
        relay_enabled=False,
    )
    async with serve(registry_app(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        for _ in range(40):  # until the connect loop has been refused at least once
            if "Authorization" in capsys.readouterr().err:
                break
            await asyncio.sleep(0.05)
        r = await http.get("/readyz")
        assert r.status_code == 503
        body = r.json()
        assert "socorg_no_such_database" in body["checks"]["database"]["detail"]
        assert_no_secret(r.text)
        assert_no_secret((await http.get("/asyncapi.json")).text)
        r = await http.post("/v1/organizations", json={}, headers={"X-API-Key": "sok_x"})
        assert_no_secret(r.text)
    assert_no_secret(capsys.readouterr().err)


def test_the_log_formatter_scrubs_every_secret_form() -> None:
    formatter = JsonFormatter("t", secrets={'pa"ss-word', "tok-1234", "ab"})
    record = logging.makeLogRecord(
        {"msg": "url nats://tok-1234@h and %s", "args": ('pa"ss-word',), "levelname": "INFO"}
    )
    record.__dict__["servers"] = ['nats://u:pa"ss-word@h']
    line = formatter.format(record)
    assert "tok-1234" not in line and "ss-word" not in line and line.count("***") == 3
    assert "ab" in formatter.format(logging.makeLogRecord({"msg": "about"}))  # too short


def socorg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_prints_no_password_when_it_fails() -> None:
    unreachable = f"postgresql://postgres:{DB_PASSWORD}@127.0.0.1:{natsserver.free_port()}/x"
    failed = socorg("migrate", "registry", SOCORG_REGISTRY_DATABASE_URL=unreachable)
    assert failed.returncode != 0 and "Connection refused" in failed.stdout + failed.stderr
    assert_no_secret(failed.stdout + failed.stderr)
    refused = socorg(
        "keys",
        "list",
        "registry",
        SOCORG_REGISTRY_MODE="production",
        SOCORG_REGISTRY_DATABASE_URL=unreachable,
    )
    assert refused.returncode == 2
    assert "SOCORG_REGISTRY_NATS_URL still has its development default" in refused.stderr
    assert_no_secret(refused.stdout + refused.stderr)
