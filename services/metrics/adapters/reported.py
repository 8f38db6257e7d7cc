"""Reported indicators: values no event can derive, appended with who reported them and on
what document; a correction is a new row naming the one it corrects, never an update."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import WRITE

md = MetaData()
reported = Table(
    "metrics_reported",
    md,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("indicator", String(100), nullable=False),
    Column("place", String(12), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("document", String(500), nullable=False),
    Column("note", String(2000)),
    Column(
        "corrects", BigInteger().with_variant(Integer, "sqlite"), ForeignKey("metrics_reported.id")
    ),
    Column("reported_by", String(64), nullable=False),
    Column("reported_by_name", String(200), nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Report:
    indicator: str
    place: str
    as_of: date
    value: float
    document: str
    note: str | None = None
    corrects: int | None = None


class CorrectionMismatch(ValueError):
    pass


class ReportedValues:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def add(self, report: Report, *, client_id: str, client_name: str) -> dict[str, Any]:
        async with self.engine.execution_options(**WRITE).begin() as conn:
            if report.corrects is not None:
                old = (
                    (await conn.execute(select(reported).where(reported.c.id == report.corrects)))
                    .mappings()
                    .first()
                )
                if old is None:
                    raise LookupError(f"no reported value {report.corrects}")
                if (old["indicator"], old["place"], old["as_of"]) != (
                    report.indicator,
                    report.place,
                    report.as_of,
                ):
                    raise CorrectionMismatch(
                        f"value {report.corrects} is {old['indicator']} for {old['place']} "
                        f"on {old['as_of']}: a correction keeps indicator, place and date"
                    )
            values = {
                "indicator": report.indicator,
                "place": report.place,
                "as_of": report.as_of,
                "value": report.value,
                "document": report.document,
                "note": report.note,
                "corrects": report.corrects,
                "reported_by": client_id,
                "reported_by_name": client_name,
                "reported_at": datetime.now(UTC),
            }
            result = await conn.execute(insert(reported).values(values).returning(reported.c.id))
            return {"id": int(result.scalar_one()), **values}

    async def trail(self, indicator: str | None, place_prefix: str | None) -> list[dict[str, Any]]:
        q = select(reported).order_by(reported.c.id)
        if indicator is not None:
            q = q.where(reported.c.indicator == indicator)
        if place_prefix:
            q = q.where(reported.c.place.startswith(place_prefix, autoescape=True))
        async with self.engine.connect() as conn:
            return [dict(r) for r in (await conn.execute(q)).mappings()]

    async def value(self, indicator: str, place: str, day: date) -> float | None:
        """The value in force on `day`: the latest date reported up to then, its latest row
        (a correction outranks what it corrects)."""
        q = (
            select(reported.c.value)
            .where(
                reported.c.indicator == indicator,
                reported.c.place == place,
                reported.c.as_of <= day,
            )
            .order_by(reported.c.as_of.desc(), reported.c.id.desc())
            .limit(1)
        )
        async with self.engine.connect() as conn:
            found = (await conn.execute(q)).scalar_one_or_none()
        return None if found is None else float(found)

    async def values(
        self, indicators: Sequence[str], place: str, days: Sequence[date]
    ) -> dict[str, list[float | None]]:
        """`value` of each indicator on each of `days` (sorted), from one query."""
        q = (
            select(reported.c.indicator, reported.c.as_of, reported.c.value)
            .where(
                reported.c.indicator.in_(indicators),
                reported.c.place == place,
                reported.c.as_of <= days[-1],
            )
            .order_by(reported.c.as_of, reported.c.id)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).all()
        out: dict[str, list[float | None]] = {}
        for name in indicators:
            mine = [(r.as_of, float(r.value)) for r in rows if r.indicator == name]
            found: list[float | None] = []
            at, current = 0, None
            for day in days:  # the last row up to each day (rows and days ascending)
                while at < len(mine) and mine[at][0] <= day:
                    current, at = mine[at][1], at + 1
                found.append(current)
            out[name] = found
        return out
