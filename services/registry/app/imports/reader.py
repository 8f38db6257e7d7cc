"""Rows out of a streamed request body, a line at a time: the file is never held whole.

Each item is `(row, value)`: the row number (the file's line number; for CSV the line its
record starts on, the header being line 1) and either the row as a dict or a `Malformed`
saying why the line could not be read. One bad line never stops the rest.
"""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

from services.registry.app.imports.csv_columns import nest

# A line longer than this is refused rather than buffered (a file without newlines would
# otherwise be read into memory whole).
MAX_LINE = 1 << 20


@dataclass(frozen=True)
class Malformed:
    problem: str
    detail: str


Raw = tuple[int, "dict[str, object] | Malformed"]


async def lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[tuple[int, bytes | None]]:
    """Numbered lines without their line end; None for a line over MAX_LINE."""
    buffer, number, skipping = bytearray(), 0, False
    async for chunk in chunks:
        buffer += chunk
        while (end := buffer.find(b"\n")) >= 0:
            number += 1
            line = bytes(buffer[:end]).rstrip(b"\r")
            del buffer[: end + 1]
            yield number, None if skipping else line
            skipping = False
        if len(buffer) > MAX_LINE:  # keep reading to the next newline, but hold none of it
            buffer.clear()
            skipping = True
    if buffer or skipping:
        yield number + 1, None if skipping else bytes(buffer).rstrip(b"\r")


def _text(line: bytes, first: bool) -> str:
    return line.decode("utf-8-sig" if first else "utf-8")


async def ndjson_rows(chunks: AsyncIterator[bytes]) -> AsyncIterator[Raw]:
    async for number, line in lines(chunks):
        if line is None:
            yield number, Malformed("line-too-long", f"a line may hold at most {MAX_LINE} bytes")
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(_text(line, number == 1))
        except UnicodeDecodeError as exc:
            yield number, Malformed("malformed-line", f"not UTF-8: {exc.reason}")
            continue
        except json.JSONDecodeError as exc:
            yield number, Malformed("malformed-json", f"not a JSON value: {exc.msg}")
            continue
        if not isinstance(value, dict):
            yield number, Malformed("malformed-json", "a row is a JSON object")
            continue
        yield number, value


async def csv_records(
    chunks: AsyncIterator[bytes],
) -> AsyncIterator[tuple[int, list[str] | Malformed]]:
    """CSV records; a quoted field may span lines, so lines gather until the quotes pair up."""
    pending: list[str] = []
    start = 0
    async for number, line in lines(chunks):
        if line is None:
            pending = []
            yield number, Malformed("line-too-long", f"a line may hold at most {MAX_LINE} bytes")
            continue
        try:
            text = _text(line, number == 1)
        except UnicodeDecodeError as exc:
            pending = []
            yield number, Malformed("malformed-line", f"not UTF-8: {exc.reason}")
            continue
        if not pending:
            start = number
        pending.append(text)
        record = "\n".join(pending)
        if record.count('"') % 2:  # inside a quoted field: the record goes on
            if len(record) > MAX_LINE:
                pending = []
                yield start, Malformed("line-too-long", "a quoted field never closes")
            continue
        pending = []
        if not record.strip():
            continue
        try:
            yield start, next(csv.reader([record], strict=True))
        except csv.Error as exc:
            yield start, Malformed("malformed-csv", str(exc))
    if pending:
        yield start, Malformed("malformed-csv", "the file ends inside a quoted field")


async def csv_rows(chunks: AsyncIterator[bytes]) -> AsyncIterator[Raw]:
    header: list[str] | None = None
    async for number, record in csv_records(chunks):
        if isinstance(record, Malformed):
            yield number, record
        elif header is None:
            header = [h.strip() for h in record]
        elif len(record) != len(header):
            yield (
                number,
                Malformed("malformed-csv", f"{len(record)} fields, the header has {len(header)}"),
            )
        else:
            yield number, nest(dict(zip(header, record, strict=True)))
