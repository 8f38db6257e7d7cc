"""`make run` as a newcomer runs it: every service ready, SIGTERM leaves no process behind."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shared import catalog
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, NewEvent
from shared.eventstore.sql import SqlEventStore
from shared.natsserver import free_port

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Platform:
    def __init__(self, data_dir: Path) -> None:
        self.ports = {s: free_port() for s in catalog.names()}
        self.env = {
            **os.environ,
            "SOCORG_RUN_DATA_DIR": str(data_dir),
            "SOCORG_RUN_NATS_PORT": str(free_port()),
            **{f"SOCORG_RUN_{s.upper()}_PORT": str(p) for s, p in self.ports.items()},
        }
        self.proc: subprocess.Popen[str] | None = None
        self.lines: list[str] = []

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 90
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            if line.strip() == "ready" or time.monotonic() > deadline:
                break
        assert self.lines and self.lines[-1] == "ready", "\n".join(self.lines)

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    p = Platform(tmp_path / "data")
    yield p
    if p.proc is not None and p.proc.poll() is None:
        p.proc.kill()


def test_run_brings_every_service_to_ready_and_sigterm_stops_everything(
    platform: Platform,
) -> None:
    platform.start()
    assert any("dev API key" in line for line in platform.lines)
    for service, port in platform.ports.items():
        r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert r.status_code == 200, (service, r.text)
        assert r.json()["checks"]["nats"]["ok"]
        assert f"http://127.0.0.1:{port}" in "\n".join(platform.lines)
    assert platform.proc is not None
    started = descendants(platform.proc.pid)
    assert len(started) >= 5  # nats-server and four services
    assert platform.stop() == 0
    time.sleep(0.2)
    assert [pid for pid in started if alive(pid)] == []


def test_a_second_run_keeps_the_data(platform: Platform, tmp_path: Path) -> None:
    platform.start()
    platform.stop()
    db = tmp_path / "data" / "registry.db"
    assert db.exists()

    async def append() -> None:
        engine = make_async_engine(f"sqlite:///{db}")
        await SqlEventStore(engine).append(
            "org-1", 0, [NewEvent("organization_registered", {})], metadata=EventMetadata("t")
        )
        await engine.dispose()

    asyncio.run(append())
    platform.start()
    r = httpx.get(f"http://127.0.0.1:{platform.ports['registry']}/readyz", timeout=5)
    assert r.status_code == 200
    platform.stop()

    async def count() -> int:
        engine = make_async_engine(f"sqlite:///{db}")
        n = await SqlEventStore(engine).head_position()
        await engine.dispose()
        return n

    assert asyncio.run(count()) == 1


def test_a_taken_port_is_a_clear_message_not_a_traceback(platform: Platform) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", platform.ports["metrics"]))
        s.listen()
        out = subprocess.run(
            [sys.executable, "-m", "shared.cli", "run"],
            cwd=ROOT,
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 2
    text = out.stdout + out.stderr
    assert f"port {platform.ports['metrics']} (metrics) is already in use" in text
    assert "SOCORG_RUN_METRICS_PORT" in text
    assert "Traceback" not in text
