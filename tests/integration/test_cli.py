"""The `socorg` command: keys are created, listed and revoked; production refuses dev secrets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shared import catalog
from shared.cli import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOCORG_REGISTRY_DATABASE_URL", sqlite_url)
    return sqlite_url


def test_keys_are_created_once_listed_without_secret_and_revoked(env: str) -> None:
    runner = CliRunner()
    created = runner.invoke(
        app,
        [
            "keys",
            "create",
            "registry",
            "--name",
            "武昌区民政局",
            "--scope",
            "registry:write",
            "--scope",
            "registry:read",
            "--place",
            "420106",
        ],
    )
    assert created.exit_code == 0, created.output
    key = re.search(r"key:\s+(sok_\S+)", created.output)
    key_id = re.search(r"id:\s+(\S+)", created.output)
    assert key and key_id
    listed = runner.invoke(app, ["keys", "list", "registry"], env={"COLUMNS": "200"})
    assert "武昌区民政局" in listed.output and "420106" in listed.output
    assert key.group(1) not in listed.output
    assert runner.invoke(app, ["keys", "revoke", "registry", key_id.group(1)]).exit_code == 0
    again = runner.invoke(app, ["keys", "revoke", "registry", key_id.group(1)])
    assert again.exit_code == 1 and "no active key" in again.output


def test_a_key_with_a_bad_place_is_refused_clearly(env: str) -> None:
    out = CliRunner().invoke(
        app,
        ["keys", "create", "registry", "--name", "x", "--scope", "registry:read", "--place", "42"],
    )
    assert out.exit_code != 0 and "place" in out.output


def test_unknown_service_is_refused(env: str) -> None:
    out = CliRunner().invoke(app, ["keys", "list", "nosuch"])
    assert out.exit_code != 0 and "unknown service" in out.output


def test_the_commands_of_each_spec_are_socorg_commands_and_its_stream_decides_relay() -> None:
    runner = CliRunner()
    for spec in catalog.specs():
        for command in spec.commands:
            name = command.__name__.replace("_", "-")
            shown = runner.invoke(app, [name, "--help"])
            assert shown.exit_code == 0, (spec.name, name, shown.output)
    assert [c.__name__ for c in catalog.get("registry").commands] == ["demo"]
    refused = runner.invoke(app, ["relay-status", "metrics"])
    assert refused.exit_code == 2 and "metrics publishes no events" in refused.output


def test_production_mode_refuses_to_start_with_a_development_key(sqlite_url: str) -> None:
    env = {
        **os.environ,
        "SOCORG_REGISTRY_MODE": "production",
        "SOCORG_REGISTRY_DEV_API_KEY": "let-me-in",
        "SOCORG_REGISTRY_DATABASE_URL": sqlite_url,
    }
    out = subprocess.run(
        [sys.executable, "-m", "shared.cli", "serve", "registry"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert "SOCORG_REGISTRY_DEV_API_KEY must not be set in production mode" in out.stderr
    assert "Traceback" not in out.stderr
