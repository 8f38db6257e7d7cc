"""`socorg demo`: the Ningbo register's published shape, by seed, loaded through the import API."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from services.registry.adapters.places_file import load_places
from services.registry.demo.generate import generate
from services.registry.demo.profiles import NINGBO
from shared.cli import app

SCALE = 0.02


def demo(*args: str) -> str:
    result = CliRunner().invoke(app, ["demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def rows_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ningbo_keeps_the_published_proportions_and_is_deterministic(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.ndjson", tmp_path / "b.ndjson", tmp_path / "c.ndjson"
    for out, seed in ((a, "7"), (b, "7"), (c, "8")):
        demo("ningbo", "--scale", str(SCALE), "--seed", seed, "--out", str(out))
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    everything = rows_of(a)
    # the published figures count organizations in existence: the ended come on top
    rows = [r for r in everything if "end" not in r]
    ended = [r for r in everything if "end" in r]
    kinds = Counter(r["kind"] for r in rows)
    legal = [r for r in rows if r["kind"] != "community_org"]
    urban = Counter(int(r["community"][9:]) < 200 for r in rows if r["kind"] == "community_org")
    grades = Counter(r["rating"]["grade"] for r in legal if "rating" in r)
    city = Counter(r["kind"] for r in legal if r["level"] == "city")
    # each count is the published one (ningbo-reply-to-proposal-333.txt) times the scale
    for kind, n in NINGBO.legal.items():
        assert kinds[kind] == round(n * SCALE)
        assert city[kind] == round(NINGBO.city_level[kind] * SCALE)
    assert (urban[True], urban[False]) == (round(18003 * SCALE), round(30844 * SCALE))
    assert grades == {g: round(n * SCALE) for g, n in NINGBO.rated.items()}
    # and so the shares: 社会服务机构 74% of legal persons, 3A+ 12.6%, rural 63% of filings
    assert abs(kinds["social_service_agency"] / len(legal) - 7528 / 10224) < 0.01
    assert abs(sum(grades.values()) / len(legal) - 1293 / 10224) < 0.01
    assert abs(urban[False] / (urban[True] + urban[False]) - 30844 / 48847) < 0.01
    last_year = [max((x["year"] for x in r.get("annual_reports", [])), default=0) for r in legal]
    assert 0 < sum(y <= 2022 for y in last_year if y) < len(legal) * 0.15  # zombie candidates
    assert {r["end"]["how"] for r in ended if r["kind"] != "community_org"} == {"注销", "撤销"}
    assert any(r["kind"] == "community_org" for r in ended)
    assert len(everything) == NINGBO.scaled(SCALE).total > NINGBO.scaled(SCALE).in_existence


def test_charities_report_by_their_31_march_deadline_from_the_year_of_recognition() -> None:
    rows = list(generate(NINGBO.scaled(0.2), load_places(), seed=3))
    charities = [r for r in rows if "charity_recognised_on" in r]
    assert charities
    due_early = 0
    for r in charities:
        recognised = date.fromisoformat(r["charity_recognised_on"]).year
        for report in r.get("annual_reports", []):
            if report["year"] >= recognised:
                due_early += 1
                assert date.fromisoformat(report["submitted_on"]) <= date(report["year"] + 1, 3, 31)
    assert due_early > 0


async def test_demo_loads_through_the_import_api(api: httpx.AsyncClient, base: str) -> None:
    # the CLI is synchronous; the server runs on this event loop
    output = await asyncio.to_thread(demo, "ningbo", "--scale", str(SCALE), "--url", base)
    summary = json.loads(output[output.index("{") :])
    shape = NINGBO.scaled(SCALE)
    total = shape.total
    assert (summary["created"], summary["failed"], summary["rows"]) == (total, 0, total)
    page = (await api.get("/v1/organizations", params={"grade": "5A", "limit": 1})).json()
    assert page["total"] == round(257 * SCALE)
    active = {"status": "active", "limit": 1}
    page = (await api.get("/v1/organizations", params=active | {"urban": "false"})).json()
    assert page["total"] == round(30844 * SCALE)
    for kind, n in shape.legal.items():  # the published counts are those in existence
        page = (await api.get("/v1/organizations", params=active | {"kind": kind})).json()
        assert page["total"] == n
    again = await asyncio.to_thread(demo, "ningbo", "--scale", str(SCALE), "--url", base)
    assert json.loads(again[again.index("{") :])["unchanged"] == total
