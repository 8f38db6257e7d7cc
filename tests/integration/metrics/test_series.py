"""A monthly series (one grouped query per kind of count, over every month) gives, month by
month, the value counted on that date alone — for every standard indicator and the plans'
shares, coverage, units and employment, on SQLite and PostgreSQL."""

from __future__ import annotations

from services.metrics.domain.indicators import STANDARD
from tests.integration.metrics.test_metrics_api import WUCHANG, WUHAN, Rig, populate, rig, value

__all__ = ["rig"]  # the fixture, shared with test_metrics_api

NAMES = (
    *STANDARD,
    "share.category.科技创新类",
    "share.category.产业发展类+工商服务类",
    "orgs.category.社区社会组织联合会",
    "coverage.street.社区社会组织联合会",
    "units.street.社区社会组织联合会",
    "units.county.社区社会组织联合会",
    "grade3a.share.level.city+county",
    "grade3a.count",
)


async def test_a_series_gives_the_value_of_each_of_its_dates(rig: Rig) -> None:
    await populate(rig)
    for place in (WUHAN, WUCHANG):
        for name in NAMES:
            r = await rig.metrics.get(
                f"/v1/indicators/{name}/series",
                params={"place": place, "from": "2022-12-01", "to": "2025-02-14"},
            )
            assert r.status_code == 200, r.text
            points = r.json()["points"]
            assert len(points) == 27
            for p in points:
                assert p["value"] == await value(rig, name, place, p["date"]), (name, place, p)
