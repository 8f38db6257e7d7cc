"""The metrics projection gives the same rows whether events come one by one, in one batch or
in batches cut anywhere — a registration, its change, its grade and its end in one batch
included — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.metrics.adapters.tables import daily, grades, monthly, reports, spans
from services.metrics.consumers.registry import RegistryCounts
from shared.contracts.base import EventData
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CommunityOrganizationFiled,
    Deregistered,
    FilingCancelled,
    InspectionConcluded,
    OrganizationRegistered,
    RatingChanged,
    RegistrationChanged,
    RegistrationRevoked,
)
from tests.integration.metrics.batches import applied_in_batches

D = date.fromisoformat


def registered(org: str, on: str, **kw: Any) -> OrganizationRegistered:
    body = {
        "organization_id": org,
        "credit_code": "52420100MJH27161X9",
        "name": f"协会{org}",
        "kind": "social_group",
        "category": "产业发展类",
        "level": "county",
        "registration_authority": "420106",
        "domicile": "420106001",
        "registered_on": on,
    }
    return OrganizationRegistered.model_validate(body | kw)


def history() -> list[EventData]:
    """Events of four organizations, interleaved as a stream delivers them."""
    return [
        registered("a", "2021-01-10"),
        registered("b", "2021-02-01"),
        RatingChanged(organization_id="a", grade="4A", decided_on=D("2022-06-01"),
                      valid_until=D("2027-05-31")),
        RegistrationChanged(organization_id="a", changed_on=D("2023-03-01"),
                            changes={"domicile": ("420106001", "420102002"),
                                     "category": ("产业发展类", "科技创新类"),
                                     "name": ("协会a", "学会a")}),
        AnnualReportSubmitted(organization_id="a", year=2022, submitted_on=D("2023-04-01"),
                              staff_employed=7),
        InspectionConcluded.model_validate({"organization_id": "a", "year": 2022,
                                            "conclusion": "qualified",
                                            "concluded_on": "2023-06-01"}),
        AnnualReportSubmitted(organization_id="a", year=2022, submitted_on=D("2023-05-01"),
                              staff_employed=9),  # submitted again: the later one counts
        CommunityOrganizationFiled(organization_id="c", filing_number="备2024-1", name="互助队",
                                   category="生活服务类", street="420106001",
                                   community="420106001001", urban=True, filed_on=D("2024-04-01")),
        RatingChanged(organization_id="a", grade="5A", decided_on=D("2026-06-01"),
                      announced_on=D("2026-06-15"), valid_from=D("2027-01-01")),
        RatingChanged(organization_id="b", grade="3A", decided_on=D("2023-01-10")),
        RegistrationRevoked(organization_id="b", revoked_on=D("2024-11-01"), reason="未年检"),
        RegistrationChanged(organization_id="b", changed_on=D("2024-12-01"),
                            changes={"level": ("county", "city")}),
        Deregistered(organization_id="b", deregistered_on=D("2025-03-01"), reason="清算完毕"),
        RegistrationChanged(organization_id="b", changed_on=D("2025-04-01"),
                            changes={"category": ("产业发展类", "社会服务类")}),  # ended: no effect
        FilingCancelled.model_validate({"organization_id": "c", "how": "deregistration",
                                        "cancelled_on": "2024-08-01", "reason": "自行解散"}),
        registered("d", "2024-05-05", kind="foundation", level="city"),
        RatingChanged(organization_id="d", grade="4A", decided_on=D("2024-09-01")),
        RatingChanged(organization_id="d", decided_on=D("2024-12-01")),  # cancelled
        Deregistered(organization_id="d", deregistered_on=D("2025-01-01"), reason="终止"),
    ]  # fmt: skip


async def rows(engine: AsyncEngine, tables: Mapping[str, Table]) -> dict[str, list[Any]]:
    """Every table's rows; of the changes, those that do not cancel out (a row whose changes
    of several batches summed to nothing stays, and counts for nothing)."""
    async with engine.connect() as conn:
        out = {
            name: sorted(tuple(r) for r in await conn.execute(select(t)))
            for name, t in tables.items()
        }
    for t in (monthly, daily):
        out[t.name] = [r for r in out[t.name] if r[-2] or r[-1]]
    return out


async def applied(engine: AsyncEngine, cuts: Sequence[int], suffix: str) -> dict[str, list[Any]]:
    """The rows after applying the history in batches ending at `cuts`."""
    return await rows(
        engine, await applied_in_batches(engine, RegistryCounts(), history(), cuts, suffix)
    )


async def test_a_batch_gives_the_rows_of_one_event_at_a_time(engine: AsyncEngine) -> None:
    n = len(history())
    one_by_one = await applied(engine, list(range(1, n)), "one")
    assert await applied(engine, [], "whole") == one_by_one
    assert await applied(engine, [3, 4, 9, 13, 14], "cut") == one_by_one
    s, g, r = (one_by_one[t.name] for t in (spans, grades, reports))
    # a: moved and re-categorised on 2023-03-01; its 4A ends when the 5A starts (2027-01-01)
    assert [x[:7] for x in s if x[0] == "a"] == [
        ("a", 0, D("2021-01-10"), D("2023-03-01"), "social_group", "产业发展类", "county"),
        ("a", 1, D("2023-03-01"), None, "social_group", "科技创新类", "county"),
    ]
    assert [x[-1] for x in s if x[0] == "a"] == ["active", "active"]
    assert [x for x in g if x[0] == "a"] == [
        ("a", 0, "4A", D("2022-06-01"), D("2027-01-01")),
        ("a", 1, "5A", D("2027-01-01"), None),
    ]
    assert r == [("a", 2022, D("2023-05-01"), 9)]
    # b: in liquidation from 2024-11-01 (grade void), moved to city level, ended 2025-03-01
    assert [(x[1], x[2], x[3], x[6], x[9]) for x in s if x[0] == "b"] == [
        (0, D("2021-02-01"), D("2024-11-01"), "county", "active"),
        (1, D("2024-11-01"), D("2024-12-01"), "county", "in_liquidation"),
        (2, D("2024-12-01"), D("2025-03-01"), "city", "in_liquidation"),
    ]
    assert [x for x in g if x[0] == "b"] == [("b", 0, "3A", D("2023-01-10"), D("2024-11-01"))]
    # c: filed, then its filing cancelled; d: a grade cancelled, then the foundation ends
    assert [(x[2], x[3], x[8]) for x in s if x[0] == "c"] == [
        (D("2024-04-01"), D("2024-08-01"), True)
    ]
    assert [x for x in g if x[0] == "d"] == [("d", 0, "4A", D("2024-09-01"), D("2024-12-01"))]
    assert [x[3] for x in s if x[0] == "d"] == [D("2025-01-01")]
