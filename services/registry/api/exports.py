"""Bulk export of the register, stamped with the event position it was taken at."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from services.registry.api.common import QUERY_ERRORS
from services.registry.api.deps import Reader, RegistryDep
from services.registry.api.filters import SearchFilters
from services.registry.app.ports import Snapshot
from services.registry.app.search import COLUMNS

router = APIRouter(prefix="/v1/exports", tags=["exports"])
NDJSON, CSV = "application/x-ndjson", "text/csv"
POSITION_HEADER = "X-Export-Position"


@router.get(
    "/organizations",
    responses={
        **QUERY_ERRORS,
        200: {
            "description": "one organization a line (NDJSON, the first line the position), "
            "or CSV with a header row",
            "content": {NDJSON: {}, CSV: {}},
        },
    },
    response_class=StreamingResponse,
)
async def export_organizations(
    _: Reader,
    registry: RegistryDep,
    filters: SearchFilters,
    accept: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Every organization matching the search filters, from one snapshot, streamed."""
    as_csv = CSV in (accept or "")
    snapshot = await registry.register.open_snapshot()
    rows = snapshot.rows(filters, today=registry.clock.today())
    body = _csv(snapshot, rows) if as_csv else _ndjson(snapshot, rows)
    return StreamingResponse(
        body,
        media_type=f"{CSV}; charset=utf-8" if as_csv else NDJSON,
        headers={POSITION_HEADER: str(snapshot.position)},
    )


async def _ndjson(snapshot: Snapshot, rows: AsyncIterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    try:
        yield _line({"type": "export", "position": snapshot.position})
        buffer: list[bytes] = []
        async for row in rows:
            buffer.append(_line({"type": "organization", **row}))
            if len(buffer) >= 500:
                yield b"".join(buffer)
                buffer = []
        yield b"".join(buffer)
    finally:
        await snapshot.close()


async def _csv(snapshot: Snapshot, rows: AsyncIterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        writer.writerow(COLUMNS)
        n = 0
        async for row in rows:
            writer.writerow([_cell(row[c]) for c in COLUMNS])
            n += 1
            if n % 500 == 0:
                yield out.getvalue().encode()
                out.seek(0)
                out.truncate()
        yield out.getvalue().encode()
    finally:
        await snapshot.close()


def _line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=_json_default).encode() + b"\n"


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
