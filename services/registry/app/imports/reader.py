"""Rows out of a streamed request body, a line at a time: the file is never held whole.

Each item is `(row, value)`: the row number (the file's line number; for CSV the line its
record starts on, the header being line 1) and either the row as a dict or a `Malformed`
saying why the line could not be read. One bad line never stops the rest: whatever goes
wrong reading a line (its JSON nested too deep for the parser, say) is that row's error.

What is refused before any row is read (`Refused`, a request error): a body that is not
UTF-8 (UTF-16 and UTF-32 start with a byte-order mark, or without one hold a NUL byte in
their first character, which no UTF-8 text does) and, for CSV, a header that cannot be read
or names a column twice.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from services.registry.app.imports.csv_columns import nest

# A line longer than this is refused rather than buffered (a file without newlines would
# otherwise be read into memory whole).
MAX_LINE = 1 << 20
# Line ends: NDJSON lines end with LF (a CR before it is dropped; a CR elsewhere is JSON
# whitespace). A CSV line may also end with a bare CR, as old Mac and some Excel exports
# write it, so a record never runs on into the next one.
_LF = re.compile(rb"\n")
_CSV_END = re.compile(rb"\r\n|\r|\n")
# The byte-order marks of UTF-32 (big-endian; little-endian starts as UTF-16's) and UTF-16.
_NOT_UTF8 = (b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Malformed:
    problem: str
    detail: str


class Refused(ValueError):
    """The body as a whole cannot be read (a CSV header, say); nothing of it is imported."""


class NotUtf8(Refused):
    """The body is in another encoding than UTF-8."""


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"the key {key!r} appears twice in one object")


Raw = tuple[int, "dict[str, object] | Malformed"]
Rows = AsyncIterator[Raw]


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members as a dict, refusing a key given twice (which would hide one)."""
    members = dict(pairs)
    if len(members) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return members


async def lines(
    chunks: AsyncIterator[bytes], ends: re.Pattern[bytes] = _LF
) -> AsyncIterator[tuple[int, bytes | None]]:
    """Numbered lines without their line end; None for a line over MAX_LINE."""
    buffer, number, skipping = bytearray(), 0, False
    async for chunk in chunks:
        buffer += chunk
        while (end := ends.search(buffer)) is not None:
            if end.group() == b"\r" and end.end() == len(buffer):
                break  # the LF of a CRLF may be in the next chunk
            number += 1
            line = bytes(buffer[: end.start()]).rstrip(b"\r")
            del buffer[: end.end()]
            yield number, None if skipping else line
            skipping = False
        if len(buffer) > MAX_LINE:  # keep reading to the next newline, but hold none of it
            buffer.clear()
            skipping = True
    if buffer or skipping:
        yield number + 1, None if skipping else bytes(buffer).rstrip(b"\r")


async def utf8_body(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The body, once its first bytes show it can be UTF-8 (else Refused, before any row)."""
    first = b""
    async for chunk in chunks:
        first += chunk
        if len(first) >= 4:
            break
    if first.startswith(_NOT_UTF8) or b"\x00" in first[:4]:
        raise NotUtf8("the body must be UTF-8; this one looks like UTF-16 or UTF-32")
    return _chain(first, chunks)


async def _chain(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for chunk in rest:
        yield chunk


def _text(line: bytes, first: bool) -> str:
    return line.decode("utf-8-sig" if first else "utf-8")


def _json_row(line: bytes, first: bool) -> dict[str, object] | Malformed:
    try:
        value = json.loads(_text(line, first), object_pairs_hook=unique_keys)
    except UnicodeDecodeError as exc:
        return Malformed("malformed-line", f"not UTF-8: {exc.reason}")
    except json.JSONDecodeError as exc:
        return Malformed("malformed-json", f"not a JSON value: {exc.msg}")
    except DuplicateKey as exc:
        return Malformed("malformed-json", str(exc))
    except RecursionError:
        return Malformed("malformed-json", "nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - whatever one line does, it is that row's error
        return Malformed("malformed-json", f"cannot be read: {type(exc).__name__}")
    if not isinstance(value, dict):
        return Malformed("malformed-json", "a row is a JSON object")
    return value


async def _ndjson(chunks: AsyncIterator[bytes]) -> Rows:
    async for number, line in lines(chunks):
        if line is None:
            yield number, Malformed("line-too-long", f"a line may hold at most {MAX_LINE} bytes")
        elif line.strip():
            yield number, _json_row(line, number == 1)


async def ndjson_rows(chunks: AsyncIterator[bytes]) -> Rows:
    """NDJSON rows; raises Refused at once for a body that is not UTF-8."""
    return _ndjson(await utf8_body(chunks))


async def csv_records(
    chunks: AsyncIterator[bytes],
) -> AsyncIterator[tuple[int, list[str] | Malformed]]:
    """CSV records; a quoted field may span lines, so lines gather until the quotes pair up.

    A line end inside a quoted field is read as LF, whichever of CRLF, CR or LF it was.
    """
    pending: list[str] = []
    start = 0
    async for number, line in lines(chunks, _CSV_END):
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
        except Exception as exc:  # noqa: BLE001 - csv.Error, or anything else: the row's error
            yield start, Malformed("malformed-csv", str(exc))
    if pending:
        yield start, Malformed("malformed-csv", "the file ends inside a quoted field")


def _header(number: int, record: list[str] | Malformed) -> list[str]:
    if isinstance(record, Malformed):
        raise Refused(f"the header (line {number}) cannot be read: {record.detail}")
    header = [h.strip() for h in record]
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise Refused(f"the header names the column {column!r} twice")
        seen.add(column)
    return header


def _csv_row(header: list[str], record: list[str]) -> dict[str, object] | Malformed:
    if len(record) != len(header):
        return Malformed("malformed-csv", f"{len(record)} fields, the header has {len(header)}")
    try:
        return nest(dict(zip(header, record, strict=True)))
    except Exception as exc:  # noqa: BLE001 - whatever one record does, it is that row's error
        return Malformed("malformed-csv", f"cannot be read: {type(exc).__name__}")


async def _csv(
    header: list[str], records: AsyncIterator[tuple[int, list[str] | Malformed]]
) -> Rows:
    async for number, record in records:
        yield number, record if isinstance(record, Malformed) else _csv_row(header, record)


async def _no_rows() -> Rows:
    return
    yield


async def csv_rows(chunks: AsyncIterator[bytes]) -> Rows:
    """CSV rows (a header row, then one record a row); raises Refused at once for a body
    that is not UTF-8 or a header that cannot be read or names a column twice."""
    records = csv_records(await utf8_body(chunks))
    async for number, record in records:
        return _csv(_header(number, record), records)
    return _no_rows()


# Opens a body: the checks of the whole body run when it is awaited, before any row.
Reader = Callable[[AsyncIterator[bytes]], Awaitable[Rows]]
