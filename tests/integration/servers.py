"""Run a service app under a real uvicorn server on a free port: inside the test's event loop
(`serve`), or as a process of its own that a test can kill and start again (`ServiceProcess`);
a nats-server with a max_payload of the test's choosing (`LimitedNats`)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from shared import natsserver
from shared.natsserver import free_port

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def serve(
    app: FastAPI, port: int | None = None, host: str = "127.0.0.1"
) -> AsyncIterator[str]:
    """The app served until the block ends; on `port` if given (a restart at the same URL)."""
    port = port or free_port()
    config = uvicorn.Config(app, host=host, port=port, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped before starting")
        await asyncio.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task


class ServiceProcess:
    """A service as production runs it: `socorg serve <service>` under uvicorn in a process of
    its own, on a fixed free port (so a restart comes back at the same URL), logging to a file.

    `kill` is SIGKILL (a crash: no shutdown, no flush); `start` waits for `/readyz`."""

    def __init__(self, service: str, env: dict[str, str], log: Path) -> None:
        self.service = service
        self.port = free_port()
        prefix = f"SOCORG_{service.upper()}_"
        self.env = {
            **os.environ,
            **env,
            f"{prefix}HOST": "127.0.0.1",
            f"{prefix}PORT": str(self.port),
        }
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, within: float = 90) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "shared.cli", "serve", self.service],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + within
        with httpx.Client(timeout=2) as http:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"{self.service} exited with {self.proc.returncode}:\n{self.log_tail()}"
                    )
                try:
                    if http.get(self.url + "/readyz").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.service} not ready in {within}s:\n{self.log_tail()}")
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no chance to finish a request, commit or publish, as in a crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM, then SIGKILL if it has not exited within `timeout`."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


class LimitedNats:
    """A nats-server of the test's own whose max_payload is `max_payload` bytes (1 MiB is
    the server's default); restarted on the same store with another limit by `restart`."""

    def __init__(self, store: Path, max_payload: int) -> None:
        self.store = store
        self.port = natsserver.free_port()
        self.max_payload = max_payload
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.store.mkdir(parents=True, exist_ok=True)
        conf = self.store / "nats-server.conf"
        text = natsserver.config_text(self.port, self.store / "jetstream")
        conf.write_text(f"max_payload: {self.max_payload}\n{text}")
        self.proc = subprocess.Popen(
            [str(natsserver.binary()), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        natsserver.wait_for_port(self.port, proc=self.proc, what="nats-server")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def restart(self, *, max_payload: int) -> None:
        self.stop()
        self.max_payload = max_payload
        self.start()
