"""The dashboard page works offline: every asset it names is served by the metrics service
itself (Plotly from the installed plotly wheel), none names another host. No browser needed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from importlib.resources import files
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from services.metrics.main import create_app
from services.metrics.settings import MetricsSettings
from tests.integration.test_docs_offline import ABSOLUTE, BASE, CSS_URL, foreign, references


@pytest.fixture
async def http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(MetricsSettings(database_url=f"sqlite:///{tmp_path}/metrics.db"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


async def test_the_page_and_its_assets_come_from_the_service(http: httpx.AsyncClient) -> None:
    r = await http.get("/dashboard")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'lang="zh-CN"' in r.text
    refs = references(r.text)
    assert [u for u in refs + ABSOLUTE.findall(r.text) if foreign(u)] == []
    assets = {urljoin(BASE + "/dashboard", u) for u in refs if not u.startswith("data:")}
    assert {a.rsplit("/", 1)[1] for a in assets} == {
        "dashboard.css",
        "dashboard.js",
        "plotly.min.js",
    }
    for url in sorted(assets):
        got = await http.get(url)
        assert got.status_code == 200 and got.content, url
        if not url.endswith("plotly.min.js"):  # our own files name no other host
            assert [u for u in ABSOLUTE.findall(got.text) if foreign(u)] == [], url
        if url.endswith(".css"):
            assert [u for u in CSS_URL.findall(got.text) if foreign(u)] == [], url
    bundle = (files("plotly") / "package_data" / "plotly.min.js").read_bytes()
    assert (await http.get("/dashboard/assets/plotly.min.js")).content == bundle


async def test_an_unknown_asset_is_a_problem(http: httpx.AsyncClient) -> None:
    r = await http.get("/dashboard/assets/../settings.py")
    assert r.status_code == 404
    r = await http.get("/dashboard/assets/app.js")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("unknown-asset")
