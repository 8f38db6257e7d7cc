"""Dependencies of the metrics routes: its parts, the calling client, the place it may read."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from services.metrics.bootstrap import Metrics
from services.metrics.domain.targets import TargetSet
from shared.http.auth import require
from shared.http.keys import Client
from shared.http.problems import Problem
from shared.places import is_place_code

READ, REPORT = "metrics:read", "metrics:report"
PROBLEM = {"description": "problem+json", "content": {"application/problem+json": {}}}
READ_ERRORS: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM, 404: PROBLEM}


async def _metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


MetricsDep = Annotated[Metrics, Depends(_metrics)]
Reader = Annotated[Client, Depends(require(READ))]
Reporter = Annotated[Client, Depends(require(REPORT))]
AsOf = Annotated[
    date | None,
    Query(description="the date to compute on (default: today, UTC)", examples=["2024-12-31"]),
]
PlaceQuery = Annotated[
    str | None,
    Query(
        pattern=r"^\d{6}(\d{3}(\d{3})?)?$",
        description="6-digit province / city / county, 9-digit street or 12-digit community",
        examples=["420106"],
    ),
]


def today() -> date:
    from datetime import UTC, datetime

    return datetime.now(UTC).date()


def readable_place(client: Client, place: str | None, default: str) -> str:
    """The place to read: the one asked for, else `default`, else the key's own area; a key
    bound to an area reads only inside it (403 `place-outside-key`)."""
    where = place or (default if client.covers(default) else client.place) or default
    if not is_place_code(where):
        raise Problem(400, "bad-place", f"{where!r} is not a 6, 9 or 12-digit place code")
    if not client.covers(where):
        raise Problem(
            403,
            "place-outside-key",
            f"this key reads inside {client.place}; {where} lies outside it",
            key_place=client.place,
        )
    return where


def target_set(metrics: Metrics, set_id: str) -> TargetSet:
    found = metrics.queries.target_sets.get(set_id)
    if found is None:
        raise Problem(404, "unknown-target-set", f"no target set {set_id!r}")
    return found
