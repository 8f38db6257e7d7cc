"""The browser tier: Debian's Chromium driven by Playwright (never `playwright install`).

Without /usr/bin/chromium (SOCORG_CHROMIUM) the tier is skipped and the run says so loudly at
the end; with CI=true or SOCORG_REQUIRE_BROWSER=1 (.ci/run) it fails instead.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.conftest import NatsServer
from tests.integration.metrics.test_metrics_api import Rig, served

CHROMIUM = Path(os.environ.get("SOCORG_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = (
    os.environ.get("CI", "").lower() == "true" or os.environ.get("SOCORG_REQUIRE_BROWSER") == "1"
)
ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts" / "browser"
_state: dict[str, object] = {"ran": 0, "skipped_because": None}
_used: set[str] = set()  # the tests that drove the browser


@pytest.fixture
async def rig(sqlite_url: str, nats_server: NatsServer) -> AsyncIterator[Rig]:
    """The registry and the metrics app under uvicorn on one SQLite database and nats-server;
    seed through the registry's API (tests.integration.metrics.test_metrics_api.populate)."""
    async with served(sqlite_url, nats_server.url) as r:
        yield r


def _chromium_or_skip() -> None:
    if not CHROMIUM.exists():
        why = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if REQUIRED:
            pytest.fail(f"browser tier required but {why}")
        _state["skipped_because"] = why
        pytest.skip(why)


@pytest.fixture
async def browser(request: pytest.FixtureRequest) -> AsyncIterator[Browser]:
    _chromium_or_skip()
    _used.add(request.node.nodeid)
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield b
        finally:
            await b.close()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and report.nodeid in _used:
        _state["ran"] = int(_state["ran"]) + 1  # type: ignore[call-overload]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    tr, why = terminalreporter, _state["skipped_because"]
    if why:
        tr.write_sep("!", "browser tier SKIPPED", red=True, bold=True)
        tr.write_line(f"browser tier: SKIPPED ({why})", red=True)
    else:
        tr.write_line(f"browser tier: ran {_state['ran']} tests")
