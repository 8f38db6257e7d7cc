"""`make run`: the whole platform on one machine, embedded default (SQLite + nats-server).

Starts nats-server from the wheel, migrates every service's SQLite database under the data
folder, starts every service of the catalog as a separate uvicorn process, waits until each
is ready and prints where they are. SIGINT or SIGTERM stops every process it started,
services first.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from pydantic import Field, create_model
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared import catalog, migrate, natsserver
from shared.settings import DEV_API_KEY


class RunSettings(BaseSettings):
    """Where `socorg run` puts things; environment variables prefixed SOCORG_RUN_.

    Each service's port is a field `<service>_port` (SOCORG_RUN_REGISTRY_PORT …), defaulting
    to its spec's port: `run_settings()` adds one per service of the catalog.
    """

    model_config = SettingsConfigDict(env_prefix="SOCORG_RUN_")

    data_dir: Path = Field(Path(".data"), description="SQLite files, JetStream store, logs")
    host: str = "127.0.0.1"
    # Not 4222: a system NATS may already listen there.
    nats_port: int = 14222
    ready_timeout: float = 60.0

    def port(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))


def run_settings() -> RunSettings:
    """RunSettings with a port field per service, read from the environment."""
    ports: dict[str, Any] = {f"{s.name}_port": (int, s.port) for s in catalog.specs()}
    cls = create_model("RunSettings", __base__=RunSettings, **ports)
    return cls()


class Stopped(Exception):
    pass


def _die_with_parent() -> None:
    """Children get SIGTERM if the launcher itself dies (Linux), so none is left behind."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _taken_ports(cfg: RunSettings) -> list[str]:
    wanted = {"nats-server": cfg.nats_port} | {s: cfg.port(s) for s in catalog.names()}
    return [
        f"port {port} ({what}) is already in use on {cfg.host}; stop what uses it or set "
        f"SOCORG_RUN_{what.upper().replace('-SERVER', '')}_PORT to another port"
        for what, port in wanted.items()
        if not natsserver.port_is_free(port, cfg.host)
    ]


def service_env(cfg: RunSettings, service: str) -> dict[str, str]:
    p = f"SOCORG_{service.upper()}_"
    data = cfg.data_dir.resolve()
    return {
        f"{p}DATABASE_URL": f"sqlite:///{data / (service + '.db')}",
        f"{p}NATS_URL": f"nats://127.0.0.1:{cfg.nats_port}",
        f"{p}HOST": cfg.host,
        f"{p}PORT": str(cfg.port(service)),
        f"{p}MODE": "development",
    }


class Launcher:
    def __init__(self, cfg: RunSettings, out: Callable[[str], None] = print) -> None:
        self.cfg = cfg
        self.out = out
        self.nats: subprocess.Popen[bytes] | None = None
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stop_requested = False

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.stop_requested = True

    def run(self) -> int:
        taken = _taken_ports(self.cfg)
        if taken:
            for line in taken:
                self.out(f"socorg: {line}")
            return 2
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        try:
            self._start()
            self._banner()
            self._watch()
            return 0
        except Stopped:
            return 0
        except Exception as exc:  # noqa: BLE001 - one clear line, then clean up
            self.out(f"socorg: {exc}")
            return 1
        finally:
            self._stop_all()

    def _start(self) -> None:
        cfg = self.cfg
        logs = cfg.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.out(f"starting nats-server on 127.0.0.1:{cfg.nats_port} (JetStream in {cfg.data_dir})")
        self.nats = subprocess.Popen(
            [str(natsserver.binary()), "-c", str(self._nats_conf())],
            stdout=open(logs / "nats-server.log", "ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        natsserver.wait_for_port(cfg.nats_port, proc=self.nats, what="nats-server")
        for service in catalog.names():
            self._check_stop()
            migrate.upgrade(
                service, service_env(cfg, service)[f"SOCORG_{service.upper()}_DATABASE_URL"]
            )
        for service in catalog.names():
            env = {**os.environ, **service_env(cfg, service)}
            self.children[service] = subprocess.Popen(
                [sys.executable, "-m", "shared.cli", "serve", service],
                env=env,
                stdout=open(logs / f"{service}.log", "ab"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self._wait_ready()

    def _nats_conf(self) -> Path:
        store = self.cfg.data_dir.resolve() / "nats"
        store.mkdir(parents=True, exist_ok=True)
        conf = store / "nats-server.conf"
        conf.write_text(natsserver.config_text(self.cfg.nats_port, store / "jetstream"))
        return conf

    def _url(self, service: str) -> str:
        return f"http://{self.cfg.host}:{self.cfg.port(service)}"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.cfg.ready_timeout
        pending = set(catalog.names())
        with httpx.Client(timeout=2) as http:
            while pending:
                self._check_stop()
                self._check_children()
                for service in sorted(pending):
                    try:
                        if http.get(self._url(service) + "/readyz").status_code == 200:
                            pending.discard(service)
                    except httpx.HTTPError:
                        pass
                if time.monotonic() > deadline:
                    waiting = ", ".join(sorted(pending))
                    raise TimeoutError(
                        f"not ready after {self.cfg.ready_timeout:.0f}s: {waiting}; "
                        f"see {self.cfg.data_dir / 'logs'}"
                    )
                time.sleep(0.2)

    def _banner(self) -> None:
        self.out("")
        self.out("socorg is running (embedded: SQLite + nats-server). Ctrl-C stops everything.")
        for service in catalog.names():
            self.out(f"  {service:<11} {self._url(service)}   docs: {self._url(service)}/docs")
        self.out(f"  {'nats':<11} nats://127.0.0.1:{self.cfg.nats_port}")
        self.out(f"  data        {self.cfg.data_dir.resolve()}  (logs in logs/)")
        self.out(f"  dev API key {DEV_API_KEY}   (development mode only)")
        self.out("ready")
        sys.stdout.flush()

    def _check_stop(self) -> None:
        if self.stop_requested:
            raise Stopped

    def _check_children(self) -> None:
        for name, proc in [*self.children.items(), ("nats-server", self.nats)]:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with code {proc.returncode}; see {self.cfg.data_dir / 'logs'}"
                )

    def _watch(self) -> None:
        while True:
            self._check_stop()
            self._check_children()
            time.sleep(0.2)

    def _stop_all(self) -> None:
        if self.children or self.nats:
            self.out("stopping…")
        _terminate(list(self.children.values()), grace=15)
        if self.nats is not None:
            _terminate([self.nats], grace=10)
        self.children.clear()
        self.nats = None


def _terminate(procs: list[subprocess.Popen[bytes]], grace: float) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main() -> int:
    return Launcher(run_settings()).run()
