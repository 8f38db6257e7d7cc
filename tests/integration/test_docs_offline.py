"""/docs and /redoc of every service work without internet: no page or asset names another host."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from shared import catalog

BASE = "http://testserver"
LOCAL_HOSTS = {"testserver", "127.0.0.1", "localhost"}
PAGES = ("/docs", "/redoc", "/docs/oauth2-redirect")
# Attributes through which a browser fetches something when it renders the page.
FETCHED = {"src", "href", "spec-url", "data"}
ABSOLUTE = re.compile(r"""https?://[^\s"'<>)`\\]+""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")


class References(HTMLParser):
    """Every URL a page's elements load (script src, link href, img src, redoc spec-url …)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(v for k, v in attrs if k in FETCHED and v)


def references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    return parser.urls


def foreign(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.hostname not in LOCAL_HOSTS


@pytest.fixture(params=catalog.names())
async def http(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    spec = catalog.get(str(request.param))
    app = spec.create_app(spec.settings(database_url=f"sqlite:///{tmp_path}/{spec.name}.db"))
    # The pages and their assets are plain routes: no lifespan (database, NATS) is needed.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


async def test_docs_and_redoc_load_every_asset_from_the_service_itself(
    http: httpx.AsyncClient,
) -> None:
    assets: set[str] = set()
    for page in PAGES:
        r = await http.get(page)
        assert r.status_code == 200, (page, r.status_code)
        assert r.headers["content-type"].startswith("text/html")
        refs = references(r.text)
        assert [u for u in refs + ABSOLUTE.findall(r.text) if foreign(u)] == [], page
        assets.update(urljoin(BASE + page, u) for u in refs if not u.startswith("data:"))
    # Swagger UI's script and stylesheet and ReDoc's script, at least, besides the spec.
    scripts = {a for a in assets if a.endswith(".js")}
    assert len(scripts) >= 2 and any(a.endswith(".css") for a in assets), assets
    for url in sorted(assets):
        r = await http.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert len(r.content) > 0, url
        if url.endswith(".css"):
            linked = CSS_URL.findall(r.text)
            assert [u for u in linked if foreign(u)] == [], url
    spec = (await http.get("/openapi.json")).json()
    assert spec["info"]["title"].startswith("socorg ")
