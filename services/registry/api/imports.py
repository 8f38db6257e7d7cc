"""Bulk import of an existing register: rows streamed in, a progress report streamed out.

Why a streamed report rather than a job resource: the import is safe to re-run (rows already
on the register come back `unchanged`), so a broken connection is recovered by posting the
file again; no job state has to outlive the request, and the caller sees progress as it goes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from services.registry.api.common import QUERY_ERRORS, problem
from services.registry.api.deps import Handlers, Writer, actor
from services.registry.app.imports.importer import DEFAULT_BATCH, Counts, Importer
from services.registry.app.imports.reader import (
    NotUtf8,
    Reader,
    Refused,
    Rows,
    csv_rows,
    ndjson_rows,
)
from shared.http.problems import Problem

router = APIRouter(prefix="/v1/imports", tags=["imports"])
NDJSON = "application/x-ndjson"
READERS: dict[str, Reader] = {
    NDJSON: ndjson_rows,
    "application/jsonl": ndjson_rows,
    "text/csv": csv_rows,
}
BatchSize = Annotated[
    int, Query(ge=10, le=5000, description="rows per transaction, and per progress line")
]
_BODY = {"schema": {"type": "string", "format": "binary"}}
_EXAMPLE_ROW = {
    "kind": "social_group",
    "credit_code": "51330212MJ0000018C",
    "name": "鄞州区青少年体育协会",
    "level": "county",
    "domicile": "330212001",
    "registered_on": "2016-04-12",
    "annual_reports": [{"year": 2023, "submitted_on": "2024-04-30", "conclusion": "合格"}],
}


class DuplexResponse(StreamingResponse):
    """Streams while the request body is still being read.

    Starlette's StreamingResponse (ASGI spec < 2.4) listens for a disconnect by calling
    `receive()`, which would take the request body's chunks from under the import.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.stream_response(send)


@router.post(
    "",
    response_class=DuplexResponse,
    responses={
        **QUERY_ERRORS,
        200: {
            "description": "progress lines, then one line per failed row, then the summary",
            "content": {NDJSON: {"example": {"type": "summary", "created": 1}}},
        },
        400: problem("a CSV header that cannot be read or names a column twice"),
        413: problem("with an Idempotency-Key, a body over 1 MiB (`idempotency-body-too-large`)"),
        415: problem("neither NDJSON nor CSV (`unsupported-media-type`), or not UTF-8"),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                NDJSON: {**_BODY, "example": json.dumps(_EXAMPLE_ROW, ensure_ascii=False)},
                "text/csv": _BODY,
            },
        }
    },
)
async def import_rows(
    request: Request, client: Writer, handlers: Handlers, batch_size: BatchSize = DEFAULT_BATCH
) -> DuplexResponse:
    """Import organizations (NDJSON or CSV rows), streamed; re-running a file is safe."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    reader = READERS.get(media)
    if reader is None:
        raise Problem(
            415,
            "unsupported-media-type",
            f"send {NDJSON} or text/csv (UTF-8, header row), not {media or 'no content type'}",
        )
    importer = Importer(
        handlers=handlers,
        actor=actor(client),
        import_id=uuid.uuid4().hex,
        batch_size=batch_size,
    )
    try:  # the checks of the body as a whole (encoding, CSV header) come before the 200
        rows = await reader(request.stream())
    except NotUtf8 as exc:
        raise Problem(415, "not-utf-8", str(exc)) from None
    except Refused as exc:
        raise Problem(400, "bad-csv-header", str(exc)) from None
    report = _report(importer, rows)
    return DuplexResponse(report, media_type=NDJSON, headers={"X-Import-Id": importer.import_id})


async def _report(importer: Importer, rows: Rows) -> AsyncIterator[bytes]:
    yield _line({"type": "started", "import_id": importer.import_id})
    async for counts in importer.run(rows):
        yield _line({"type": "progress", **_counts(counts)})
    for line in importer.errors.lines():
        yield line
    summary = {"type": "summary", "import_id": importer.import_id, **_counts(importer.counts)}
    yield _line({**summary, "seconds": importer.seconds})


def _counts(counts: Counts) -> dict[str, Any]:
    return {k: v for k, v in asdict(counts).items() if v is not None}


def _line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode() + b"\n"
