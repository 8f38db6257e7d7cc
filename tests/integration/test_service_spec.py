"""A service is its folder: a throwaway package of services is found and served by the platform.

Each check runs `socorg` (or a short script) in a process of its own, with
SOCORG_SERVICES_PACKAGE naming a package written under tmp_path: nothing in shared/ knows it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from textwrap import dedent

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text).lstrip(), encoding="utf-8")


def service(root: Path, name: str, port: int, *, stream: str | None, producer: str = "") -> None:
    """services/<name>/ as adding-a-service.md says: spec, settings, main, migrations."""
    here = root / name
    write(here / "__init__.py", "")
    write(
        here / "settings.py",
        f"""
        from typing import ClassVar
        from pydantic_settings import SettingsConfigDict
        from shared.settings import ServiceSettings

        class Settings(ServiceSettings):
            service: ClassVar[str] = "{name}"
            model_config = SettingsConfigDict(env_prefix="SOCORG_{name.upper()}_", extra="ignore")
            port: int = {port}
        """,
    )
    write(
        here / "main.py",
        f"""
        from shared.http.app import create_service_app
        from {root.name}.{name}.settings import Settings
        from {root.name}.{name}.spec import SPEC

        def create_app(settings=None):
            return create_service_app(SPEC, settings or Settings())
        """,
    )
    write(
        here / "cli.py",
        f"""
        import typer

        def hello_{name}() -> None:
            \"\"\"Say hello.\"\"\"
            typer.echo("hello from {name}")
        """,
    )
    write(
        here / "contracts.py",
        f"""
        from shared.contracts.base import EventData, contract

        @contract("{producer or name}", "thing_done", 1, "a thing {name} did")
        class ThingDone(EventData):
            thing: str
        """,
    )
    write(
        here / "migrations" / "versions" / f"{name}_0001.py",
        f"""
        import sqlalchemy as sa
        from alembic import op

        revision = "{name}_0001"
        down_revision = None
        branch_labels = ("{name}",)
        depends_on = None

        def upgrade() -> None:
            op.create_table("{name}_things", sa.Column("id", sa.Integer, primary_key=True))

        def downgrade() -> None:
            op.drop_table("{name}_things")
        """,
    )
    write(
        here / "spec.py",
        f"""
        from pathlib import Path
        from shared.spec import ServiceSpec
        from {root.name}.{name}.cli import hello_{name}
        from {root.name}.{name}.settings import Settings

        SPEC = ServiceSpec(
            name="{name}",
            settings=Settings,
            description="{name}, a throwaway service",
            app="{root.name}.{name}.main:create_app",
            migrations=Path(__file__).parent / "migrations",
            stream={stream!r},
            contracts={f"{root.name}.{name}.contracts" if stream else None!r},
            commands=(hello_{name},),
        )
        """,
    )


def package(tmp_path: Path, typo: bool = False) -> tuple[str, dict[str, str]]:
    """A package of two services (alpha publishes to ALPHA, gamma nothing) and a plain folder."""
    name = f"throwaway_{uuid.uuid4().hex[:8]}"
    root = tmp_path / name
    write(root / "__init__.py", "")
    service(root, "alpha", 8102, stream="ALPHA", producer="alpah" if typo else "")
    service(root, "gamma", 8101, stream=None)
    write(root / "notes" / "README.md", "not a service: no spec.py\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "SOCORG_SERVICES_PACKAGE": name,
        "SOCORG_ALPHA_DATABASE_URL": f"sqlite:///{tmp_path / 'alpha.db'}",
        "SOCORG_GAMMA_DATABASE_URL": f"sqlite:///{tmp_path / 'gamma.db'}",
        "COLUMNS": "200",
    }
    return name, env


def socorg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_socorg_migrates_and_runs_the_commands_of_a_service_it_was_never_told_of(
    tmp_path: Path,
) -> None:
    _, env = package(tmp_path)
    migrated = socorg(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    # in port order: gamma (8101) before alpha (8102)
    assert migrated.stdout.split() == ["gamma:", "migrated", "alpha:", "migrated"]
    assert {"alpha_things", "events", "alembic_version"} <= tables(tmp_path / "alpha.db")
    assert "alpha_things" not in tables(tmp_path / "gamma.db")
    hello = socorg(env, "hello-alpha")
    assert hello.returncode == 0 and hello.stdout.strip() == "hello from alpha", hello.stderr
    refused = socorg(env, "relay", "gamma")
    assert refused.returncode == 2 and "gamma publishes no events" in refused.stderr
    unknown = socorg(env, "migrate", "registry")
    assert unknown.returncode == 2 and "one of: gamma, alpha" in unknown.stderr


SCRIPT = """
import json, os
from shared import catalog
from shared.contracts.asyncapi import asyncapi_document
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.launcher import run_settings
from shared.outbox.relay import Relay

spec = catalog.get("alpha")
doc = asyncapi_document(spec, version="1", nats_url="nats://127.0.0.1:4222")
app = spec.create_app()
store = SqlEventStore(make_async_engine(os.environ["SOCORG_ALPHA_DATABASE_URL"]))
relay = Relay(store=store, link=None, producer="alpha")  # not run: which stream it feeds
print(json.dumps({
    "names": catalog.names(),
    "producers": catalog.producers(),
    "stream": catalog.stream_of("alpha"),
    "relay": relay.stream,
    "ports": [run_settings().port(s) for s in catalog.names()],
    "channels": {k: v["address"] for k, v in doc["channels"].items()},
    "described": doc["info"]["description"],
    "title": app.title,
    "paths": sorted(p for p in app.openapi()["paths"] if p.endswith(".json")),
}))
"""


def test_the_launcher_relay_and_asyncapi_read_the_new_service_from_its_spec(
    tmp_path: Path,
) -> None:
    _, env = package(tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={**env, "SOCORG_RUN_GAMMA_PORT": "9101"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["names"] == ["gamma", "alpha"] and seen["producers"] == ["alpha"]
    assert seen["stream"] == seen["relay"] == "ALPHA" and seen["ports"] == [9101, 8102]
    assert seen["channels"] == {"thing_done": "alpha.{pp}.{cc}.{dd}.thing_done"}
    assert "ALPHA JetStream stream" in seen["described"]
    assert seen["title"] == "socorg alpha"
    assert seen["paths"] == ["/asyncapi.json"]


def test_a_contract_of_a_misspelt_producer_stops_the_catalog(tmp_path: Path) -> None:
    _, env = package(tmp_path, typo=True)
    run = socorg(env, "migrate")
    assert run.returncode != 0
    assert "contracts of an unknown producer: alpah.thing_done (in " in run.stderr
    assert ".alpha.contracts, of alpha)" in run.stderr
