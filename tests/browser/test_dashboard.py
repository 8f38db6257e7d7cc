"""The dashboard in Chromium, against the metrics app under uvicorn whose projection was fed
through the registry's HTTP API and JetStream: no console error, no request to another host,
the charts drawn with the API's values (read back from Plotly's `gd.data` / `gd.layout`),
drill-down city → district → street and the date picker change what is shown."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Browser, Page, Request, Route

from tests.browser.conftest import ARTIFACTS
from tests.integration.metrics.test_metrics_api import DEV, WUCHANG, WUHAN, Rig, populate
from tests.integration.registry.builders import WUCHANG_STREET

pytestmark = pytest.mark.browser
SET = "wuhan-three-year"


async def progress(rig: Rig, as_of: str, place: str | None = None) -> dict[str, Any]:
    params = {"as_of": as_of, "history": "true", **({"place": place} if place else {})}
    r = await rig.metrics.get(f"/v1/target-sets/{SET}", params=params)
    assert r.status_code == 200, r.text
    return {p["id"]: p for p in r.json()["progress"]}


async def shown(page: Page, place: str, as_of: str) -> None:
    want = f"{SET}|{place}|{as_of}"
    ready = "w => document.body.dataset.state === 'ready' && document.body.dataset.shown === w"
    await page.wait_for_function(ready, arg=want)


async def chart(page: Page, div: str) -> Any:
    return await page.evaluate(
        """id => { const gd = document.getElementById(id);
                   return { data: gd.data.map(t => ({meta: t.meta, x: t.x, y: t.y,
                                                     customdata: t.customdata})),
                            shapes: gd.layout.shapes || [],
                            drawn: gd.querySelectorAll('.main-svg').length }; }""",
        div,
    )


def trace(found: Any, meta: str) -> Any:
    return next(t for t in found["data"] if t["meta"] == meta)


async def assert_progress_bars(page: Page, want: dict[str, Any]) -> None:
    bars = await chart(page, "progress-chart")
    assert bars["drawn"] > 0
    bar = trace(bars, "progress")
    got = dict(zip(bar["customdata"], bar["x"], strict=True))
    assert set(got) == set(want)
    for tid, p in want.items():
        expected = 0 if p["value"] is None else 100 * p["value"] / p["threshold"]
        assert got[tid] == pytest.approx(expected), tid
    # The goal: a line at 100% of the threshold.
    assert [(s["x0"], s["x1"]) for s in bars["shapes"]] == [(100, 100)]


async def test_dashboard_draws_the_api_values_drills_down_and_follows_the_date(
    rig: Rig, browser: Browser
) -> None:
    await populate(rig)
    page = await browser.new_page(viewport={"width": 1280, "height": 2000})
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    async def only_local(route: Route, request: Request) -> None:
        if request.url.startswith((rig.metrics_url, "data:")):
            await route.continue_()
        else:
            foreign.append(request.url)
            await route.abort()

    await page.route("**/*", only_local)
    await page.goto(f"{rig.metrics_url}/dashboard?set={SET}&as_of=2024-06-30")
    # No key yet: the page asks for one; the key entered is kept in localStorage.
    await page.wait_for_function("document.body.dataset.state === 'no-key'")
    await page.fill("#api-key", DEV["X-API-Key"])
    await page.click("#save-key")
    await shown(page, WUHAN, "2024-06-30")
    assert await page.evaluate("localStorage.getItem('socorg.metrics.apiKey')") == DEV["X-API-Key"]

    want = await progress(rig, "2024-06-30")
    await assert_progress_bars(page, want)
    orgs = want["community-orgs"]
    assert orgs["value"] == 2 and orgs["status"] == "off_track"
    trend = await chart(page, "trend-community-orgs")
    history = trace(trend, "history")
    assert history["x"] == [h["date"] for h in orgs["history"]]
    assert history["y"] == [h["value"] for h in orgs["history"]]
    assert history["x"][-1] == "2024-06-30" and history["y"][-1] == 2
    assert trace(trend, "goal")["y"] == [38000, 38000]
    fc = trace(trend, "forecast")
    assert fc["x"] == ["2024-06-30", orgs["deadline"]]
    assert fc["y"] == [2, pytest.approx(orgs["forecast"]["value"])]
    band = trace(trend, "range")
    assert band["y"][1:3] == [
        pytest.approx(orgs["forecast"]["high"]),
        pytest.approx(orgs["forecast"]["low"]),
    ]
    status = page.locator("#target-community-orgs .status")
    assert await status.text_content() == "滞后"
    assert await status.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(198, 40, 40)"
    met = page.locator("#target-tech-innovation-share .status")
    assert await met.text_content() == "已达成"
    # A 3A+ target shows the decisions of 3A or above not yet in force beside its value.
    assert want["citywide-3a-share"]["pending"] == 0
    pending = page.locator("#target-citywide-3a-share .pending")
    assert await pending.text_content() == ";已评定待生效 0"
    assert await page.locator("#target-community-orgs .pending").count() == 0

    # Densities per community, by district of Wuhan.
    densities = await chart(page, "density-chart")
    urban = trace(densities, "urban")
    drill = await rig.metrics.get(f"/v1/dashboard/places/{WUHAN}", params={"as_of": "2024-06-30"})
    children = {c["code"]: c for c in drill.json()["children"]}
    assert urban["customdata"] == list(children)
    wuchang = urban["customdata"].index(WUCHANG)
    assert urban["y"][wuchang] == pytest.approx(children[WUCHANG]["per_urban_community"])
    assert urban["y"][wuchang] > 0
    path = ARTIFACTS / "dashboard-wuhan.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000

    # Drill down: 武昌区, then its street 积玉桥街道.
    await page.click(f"#places a[data-code='{WUCHANG}']")
    await shown(page, WUCHANG, "2024-06-30")
    assert re.search(r"place=420106", page.url)
    await assert_progress_bars(page, await progress(rig, "2024-06-30", WUCHANG))
    bars = trace(await chart(page, "progress-chart"), "progress")
    assert bars["x"][bars["customdata"].index("community-orgs")] == pytest.approx(100 / 38000)
    streets = trace(await chart(page, "density-chart"), "urban")
    assert WUCHANG_STREET in streets["customdata"]
    assert await page.locator("#breadcrumb").text_content() == "武汉市 › 武昌区"
    await page.click(f"#places a[data-code='{WUCHANG_STREET}']")
    await shown(page, WUCHANG_STREET, "2024-06-30")
    assert trace(await chart(page, "density-chart"), "urban")["customdata"] == [WUCHANG_STREET]

    # Back to the city through the breadcrumb, then the date picker: 2024-04-15, before the
    # rural organization's filing (2024-05-01).
    await page.click(f"#breadcrumb a[data-code='{WUHAN}']")
    await shown(page, WUHAN, "2024-06-30")
    await page.fill("#as-of", "2024-04-15")
    await page.dispatch_event("#as-of", "change")
    await shown(page, WUHAN, "2024-04-15")
    earlier = await progress(rig, "2024-04-15")
    assert earlier["community-orgs"]["value"] == 1
    await assert_progress_bars(page, earlier)
    history = trace(await chart(page, "trend-community-orgs"), "history")
    assert (history["x"][-1], history["y"][-1]) == ("2024-04-15", 1)
    await page.screenshot(path=str(ARTIFACTS / "dashboard-2024-04-15.png"), full_page=True)

    assert errors == []
    assert foreign == []
