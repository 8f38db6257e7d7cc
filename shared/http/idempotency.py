"""`Idempotency-Key` on POST: a retry with the same key and body gets the stored response.

(Over 300 lines: the middleware and its store share one key lifecycle, claim to expiry.)

The same key with another body is a client error (422). A request still in progress under
the same key answers 409. Keys are scoped to the presented credential, which is checked first:
a request without a valid key stores nothing (the route answers its 401). Responses of 401,
403 and 5xx are not stored, so the retry runs again. Rows expire after
`idempotency_ttl_hours`; the service sweeps expired rows every `idempotency_sweep_seconds`.

A write whose answer was lost (its COMMIT sent, then the connection gone: 503
`outcome-unknown`; or the process killed before answering) must not run twice under its key,
nor block it. So the write records where it is, the stream and version it wrote, in its
key's row *in its own transaction* (`written_mark`): the row says "written" exactly when the
write is stored. A request that does not answer forgets its key unless the row says written;
a retry under a key whose row says written runs with `stored_write()` set, and the handler
answers from the stored write instead of writing again; a retry under a forgotten key
performs the write. On PostgreSQL the forgetting DELETE waits for a write still committing
(it holds the row), then finds the row as that write left it.

A process killed before it could forget leaves a bare claim: no response and no write. Such a
claim older than `idempotency_claim_timeout_seconds` (longer than any request runs) is stale: a
retry takes the key over and performs the write, instead of a 409 for the key's whole life.
"""

from __future__ import annotations

import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.db import WRITE
from shared.http.auth import authenticate
from shared.http.keys import hash_key
from shared.http.problems import MEDIA_TYPE, Problem
from shared.tables import idempotency_keys as t

if TYPE_CHECKING:
    from shared.eventstore.sql import SqlUnitOfWork

HEADER = b"idempotency-key"
MAX_KEY = 200
# A stored request is hashed and its response kept; bigger bodies are bulk work, not retries.
MAX_BODY = 1024 * 1024
_KEEP_HEADERS = {b"content-type", b"location", b"etag"}
# Answers that a retry may change without any write in between: not kept.
_NOT_STORED = {401, 403}


@dataclass(frozen=True)
class _Request:
    """The request being served under an Idempotency-Key."""

    client: str
    key: str
    request_hash: str
    written: tuple[str, int] | None  # a retry: the earlier attempt's stored write


_current: ContextVar[_Request | None] = ContextVar("idempotent_request", default=None)


def stored_write() -> tuple[str, int] | None:
    """On a retry whose earlier attempt's write is stored, that write's stream and version:
    the handler answers from it and writes nothing."""
    request = _current.get()
    return request.written if request is not None else None


def _mark(dialect: Any) -> Any:
    """Insert the key's row, or set its `body` to where the write is if it exists: a row
    forgotten meanwhile comes back saying written."""
    statement = dialect.insert(t)
    return statement.on_conflict_do_update(
        index_elements=[t.c.client, t.c.key], set_={"body": statement.excluded.body}
    )


_MARKS = {"postgresql": _mark(postgresql), "sqlite": _mark(sqlite)}


def written_mark(dialect: str, stream: str, version: int) -> tuple[Any, dict[str, Any]] | None:
    """The statement and parameters, for the unit of work of this request's write, that say
    in its key's row where the write is (None: no Idempotency-Key)."""
    request = _current.get()
    if request is None:
        return None
    return _MARKS[dialect], {
        "client": request.client,
        "key": request.key,
        "request_hash": request.request_hash,
        "body": json.dumps({"written": {"stream": stream, "version": version}}),
        "created_at": datetime.now(UTC),
    }


async def mark_written(uow: SqlUnitOfWork, stream: str, version: int) -> None:
    """In `uow`, say in this request's key row where its write is (nothing without a key)."""
    mark = written_mark(uow.connection.dialect.name, stream, version)
    if mark is not None:
        await uow.write(*mark)


def _written(row: dict[str, Any]) -> tuple[str, int] | None:
    """Where the stored write of an unanswered request is (a row without a response yet)."""
    status, body = row.get("status"), row.get("body")
    if body is None or (status is not None and status < 500):
        return None
    written = json.loads(body)["written"]
    return str(written["stream"]), int(written["version"])


class IdempotencyStore:
    def __init__(
        self, engine: AsyncEngine, ttl: timedelta, claim_timeout: timedelta = timedelta(minutes=1)
    ) -> None:
        self.engine = engine.execution_options(**WRITE)
        self.ttl = ttl
        self.claim_timeout = claim_timeout

    def _gone(self, now: datetime) -> Any:
        """Rows past their time to live, and bare claims (no response, no write) older than the
        claim timeout: their request died without forgetting its key."""
        bare = t.c.status.is_(None) & t.c.body.is_(None)
        return (t.c.created_at < now - self.ttl) | (
            bare & (t.c.created_at < now - self.claim_timeout)
        )

    async def claim(self, client: str, key: str, request_hash: str) -> dict[str, Any] | None:
        """Claim the key (None) or return the stored row of an earlier request."""
        now = datetime.now(UTC)
        async with self.engine.begin() as conn:
            await conn.execute(
                delete(t).where(t.c.client == client, t.c.key == key, self._gone(now))
            )
            row = (
                await conn.execute(select(t).where(t.c.client == client, t.c.key == key))
            ).first()
            if row is not None:
                return dict(row._mapping)
            try:
                await conn.execute(
                    insert(t).values(
                        client=client, key=key, request_hash=request_hash, created_at=now
                    )
                )
            except IntegrityError:
                return {"request_hash": request_hash, "status": None}
        return None

    async def complete(
        self, client: str, key: str, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        async with self.engine.begin() as conn:
            if status >= 500 or status in _NOT_STORED:
                await _forget(conn, client, key, status)
                return
            await conn.execute(
                update(t)
                .where(t.c.client == client, t.c.key == key)
                .values(status=status, headers=headers, body=body.decode("utf-8", "replace"))
            )

    async def release(self, client: str, key: str) -> None:
        async with self.engine.begin() as conn:
            await _forget(conn, client, key, 500)

    async def sweep(self) -> int:
        """Remove the rows past their time to live, and stale bare claims; how many there were."""
        async with self.engine.begin() as conn:
            gone = await conn.execute(delete(t).where(self._gone(datetime.now(UTC))))
        return int(gone.rowcount or 0)


async def _forget(conn: AsyncConnection, client: str, key: str, status: int) -> None:
    """A request that did not answer: its key is free again, unless its write is stored."""
    mine = (t.c.client == client) & (t.c.key == key)
    await conn.execute(delete(t).where(mine, t.c.body.is_(None)))
    await conn.execute(update(t).where(mine, t.c.body.is_not(None)).values(status=status))


def _problem(status: int, slug: str, detail: str) -> tuple[int, bytes]:
    body = {
        "type": f"urn:socorg:problem:{slug}",
        "title": "Idempotency-Key conflict"
        if status == 409 or status == 422
        else "Bad Idempotency-Key",
        "status": status,
        "detail": detail,
    }
    return status, json.dumps(body, ensure_ascii=False).encode()


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw_key = headers.get(HEADER)
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        if not await _authenticated(scope):
            await self.app(scope, receive, send)  # its route answers 401; nothing is stored
            return
        key = raw_key.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY:
            await _send(send, *_problem(400, "idempotency-key", f"1 to {MAX_KEY} characters"))
            return
        body = await _read_body(receive, MAX_BODY)
        if body is None:
            detail = (
                f"Idempotency-Key covers request bodies up to {MAX_BODY // 1024} KiB; send larger "
                "ones (bulk imports, which are safe to re-run) without it"
            )
            await _send(send, *_problem(413, "idempotency-body-too-large", detail))
            return
        credential = (headers.get(b"authorization") or headers.get(b"x-api-key") or b"").decode(
            "latin-1"
        )
        client = hash_key(credential)
        digest = hashlib.sha256(
            scope["method"].encode() + b" " + scope["path"].encode() + b"\n" + body
        ).hexdigest()
        store: IdempotencyStore = scope["app"].state.idempotency
        earlier = await store.claim(client, key, digest)
        written = None
        if earlier is not None:
            written = _written(earlier) if earlier["request_hash"] == digest else None
        if earlier is not None and written is None:
            if earlier["request_hash"] != digest:
                await _send(
                    send,
                    *_problem(
                        422,
                        "idempotency-key-reused",
                        "this Idempotency-Key was used with a different request body",
                    ),
                )
            elif earlier["status"] is None:
                await _send(
                    send,
                    *_problem(409, "idempotency-in-progress", "a request with this key is running"),
                )
            else:
                stored = {k.encode(): v.encode() for k, v in (earlier["headers"] or {}).items()}
                stored[b"idempotent-replayed"] = b"true"
                await _send(send, earlier["status"], earlier["body"].encode(), stored)
            return
        token = _current.set(_Request(client, key, digest, written))
        try:
            await self._run_and_store(scope, body, receive, send, store, client, key)
        finally:
            _current.reset(token)

    async def _run_and_store(
        self,
        scope: Scope,
        body: bytes,
        receive: Receive,
        send: Send,
        store: IdempotencyStore,
        client: str,
        key: str,
    ) -> None:
        body_given = False

        async def replay() -> Message:
            nonlocal body_given
            if body_given:
                return await receive()  # only a real disconnect from here on
            body_given = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        kept: dict[str, str] = {}
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for k, v in message.get("headers", []):
                    if k.lower() in _KEEP_HEADERS:
                        kept[k.decode("latin-1")] = v.decode("latin-1")
            messages.append(message)

        try:
            await self.app(scope, replay, capture)
        except BaseException:
            await store.release(client, key)
            raise
        # Stored before the client hears back, so a retry after the response finds it.
        chunks = [m.get("body", b"") for m in messages if m["type"] == "http.response.body"]
        await store.complete(client, key, status, kept, b"".join(chunks))
        for message in messages:
            await send(message)


async def _authenticated(scope: Scope) -> bool:
    """Whether the request presents a valid key (the route's dependency reuses the result)."""
    try:
        await authenticate(Request(scope))
    except Problem:
        return False
    return True


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it passes `limit` bytes (it is then never stored)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        size += len(parts[-1])
        if size > limit:
            return None
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _send(
    send: Send, status: int, body: bytes, headers: dict[bytes, bytes] | None = None
) -> None:
    hdrs = headers or {b"content-type": MEDIA_TYPE.encode()}
    hdrs[b"content-length"] = str(len(body)).encode()
    await send({"type": "http.response.start", "status": status, "headers": list(hdrs.items())})
    await send({"type": "http.response.body", "body": body})
