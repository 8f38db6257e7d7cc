"""The `ningbo` demo, at a small scale, through the registry's import API, REGISTRY and the
notifier's projection: a scan of the demo's day flags about 5% of its legal persons, exactly
those the zombie rule names (docs/notifier.md, The demo)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from services.notifier.domain.zombie import Record, ZombieConfig, assess
from services.registry.adapters.places_file import load_places
from services.registry.demo.cli import ndjson
from services.registry.demo.generate import generate
from services.registry.demo.profiles import PROFILES
from tests.integration.notifier import test_zombie_pipeline
from tests.integration.notifier.test_zombie_pipeline import Services, projected

services = test_zombie_pipeline.services  # registry and notifier served on one nats-server
DEMO_DAY = date(2025, 6, 1)  # the demo's facts run to 31 May 2025
# Legal persons only: the community organizations of the profile are out of the zombie rule.
SMALL = replace(PROFILES["ningbo"].scaled(0.05), urban=0, rural=0)


def expected_candidates() -> int:
    """The zombie rule over the demo's rows themselves."""
    found = 0
    for row in generate(SMALL, load_places(), seed=1):
        filed = {
            r["year"]: date.fromisoformat(r["submitted_on"]) for r in row.get("annual_reports", [])
        }
        charity = row.get("charity_recognised_on")
        end = row.get("end")
        record = Record(
            row["kind"],
            date.fromisoformat(row["registered_on"]),
            date.fromisoformat(charity) if charity else None,
            date.fromisoformat(end["on"]) if end else None,
            filed,
            bool(row.get("supervisory_unit")),
        )
        found += assess(record, DEMO_DAY, ZombieConfig()).candidate
    return found


async def test_the_ningbo_demo_has_about_five_percent_zombie_candidates(services: Services) -> None:
    s = services
    body = b"".join(ndjson(SMALL, seed=1))
    r = await s.registry.post(
        "/v1/imports",
        content=body,
        headers={"Content-Type": "application/x-ndjson"},
        timeout=300,
    )
    assert r.status_code == 200, r.text
    summary = [json.loads(line) for line in r.text.splitlines() if line][-1]
    assert summary["type"] == "summary" and not summary.get("failed"), summary
    await projected(s.notifier_url, SMALL.total, within=300)

    scanned = await s.notifier.post("/v1/scans", json={"on": DEMO_DAY.isoformat()}, timeout=120)
    assert scanned.status_code == 200, scanned.text
    candidates = scanned.json()["candidates"]
    assert candidates == expected_candidates()
    share = candidates / SMALL.legal_total
    assert 0.035 <= share <= 0.06, f"{candidates} of {SMALL.legal_total} legal persons: {share:.1%}"
