"""Rows written before a derived column existed get it from their events when the migration
that adds it runs (adapters/reproject.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from alembic import command
from sqlalchemy import create_engine, select, update

from services.registry.adapters.tables import organizations
from shared.clock import FixedClock
from shared.migrate import alembic_config, upgrade
from tests.integration.registry.builders import registered


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(date(2026, 12, 2))


def _rows(url: str) -> list[dict[str, Any]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(organizations).order_by("id")).mappings()]
    engine.dispose()
    return rows


async def test_rows_from_before_the_derived_columns_get_them_from_their_events(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    rated = await registered(api, 0, registered_on="2019-04-01")
    url = f"/v1/organizations/{rated['id']}"
    for body in (
        {"grade": "4A", "decided_on": "2025-06-01"},
        {"grade": "5A", "decided_on": "2026-06-01", "announced_on": "2026-06-15"},
    ):
        assert (await api.put(f"{url}/rating", json=body)).status_code == 200
    reporting = await registered(api, 1, registered_on="2021-03-01")
    for year in (2021, 2023):
        r = await api.post(
            f"/v1/organizations/{reporting['id']}/annual-reports",
            json={"year": year, "submitted_on": f"{year + 1}-05-01"},
        )
        assert r.status_code == 201, r.text
    before = _rows(registry_url)
    assert {r["report_from_year"] for r in before} == {2019, 2021}
    assert {r["grade_before"] for r in before} == {"4A", None}

    command.downgrade(alembic_config("registry", registry_url), "registry_0005_credit")
    engine = create_engine(registry_url)
    with engine.begin() as conn:  # as rows written before registry_0005 were: no standing
        conn.execute(
            update(organizations).values(
                report_from_year=None,
                report_until_year=None,
                charity_from_year=None,
                last_report_year=None,
                overdue_base=None,
            )
        )
    engine.dispose()
    upgrade("registry", registry_url)

    assert _rows(registry_url) == before
