"""Run a service app under a real uvicorn server on a free port, inside the test's event loop;
a nats-server with a max_payload of the test's choosing."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from shared import natsserver
from shared.natsserver import free_port


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped before starting")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


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
