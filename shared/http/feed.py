"""The HTTP event feed for systems that do not speak NATS (the Companies House model).

`GET /v1/events?after=P` pages through every event after position P; `GET /v1/events/stream`
is a long-lived Server-Sent Events stream that resumes after `?after=P` or the
`Last-Event-ID` header, sends a heartbeat comment every `feed_heartbeat_seconds` while idle,
and delivers each later event exactly once (`id:` is the event's position). A position that
no event has, or one past the newest, is a 404 or 409, never an empty stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from shared.eventstore import RecordedEvent
from shared.eventstore.sql import SqlEventStore
from shared.http.auth import require
from shared.http.problems import Problem
from shared.outbox.envelope import to_cloudevent
from shared.tables import events

STREAM_BATCH = 500


PlaceQuery = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{2}([0-9]{2}([0-9]{2})?)?$",
        description="only events of this place: 42 (province), 4201 (city), 420106 (district)",
    ),
]


class EventPage(BaseModel):
    events: list[dict[str, Any]] = Field(description="CloudEvents 1.0 envelopes, by position")
    next_after: int = Field(description="pass as `after` for the next page")
    head: int = Field(description="the newest position when the page was read")


class Waker:
    """Wakes stream readers when this process commits events (others are polled)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def kick(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._event.wait(), seconds)
        except TimeoutError:
            pass


async def check_position(store: SqlEventStore, after: int) -> int:
    """The head position; a 4xx problem if `after` is past it or names no event."""
    head = await store.head_position()
    if after > head:
        raise Problem(
            409,
            "position-ahead",
            f"position {after} is past the newest position {head}",
            head=head,
        )
    if after > 0:
        async with store.engine.connect() as conn:
            q = select(events.c.position).where(events.c.position == after)
            if (await conn.execute(q)).first() is None:
                raise Problem(404, "unknown-position", f"no event has position {after}", head=head)
    return head


def _in_place(e: RecordedEvent, place: str | None) -> bool:
    """`place` is a code prefix: 42 (Hubei), 4201 (Wuhan), 420106 (武昌区)."""
    return place is None or (e.division or "").startswith(place)


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {}}}


_FEED_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _problem("no API key, or one that is unknown or revoked"),
    403: _problem("the key lacks the service's read scope"),
    404: _problem("no event has the position (`unknown-position`)"),
    409: _problem("the position is past the newest (`position-ahead`)"),
    422: _problem("a parameter is not valid (`validation`)"),
}
# Last-Event-ID is checked in the route (a 400, not FastAPI's 422), even when ?after= takes
# precedence over it, so the form the document gives it is the form the API takes.
_LAST_EVENT_ID: dict[str, Any] = {
    "parameters": [
        {
            "name": "Last-Event-ID",
            "in": "header",
            "required": False,
            "description": "the last position received (EventSource sends it on reconnect)",
            "schema": {"type": "string", "pattern": "^[0-9]{1,19}$"},
        }
    ]
}


def feed_router(service: str) -> APIRouter:
    router = APIRouter(prefix="/v1/events", tags=["event feed"])
    reader = Depends(require(f"{service}:read"))

    def store_of(request: Request) -> SqlEventStore:
        store: SqlEventStore = request.app.state.platform.store
        return store

    @router.get("", dependencies=[reader], responses=_FEED_ERRORS)
    async def page(
        request: Request,
        after: Annotated[int, Query(ge=0, description="the last position you have")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        place: PlaceQuery = None,
    ) -> EventPage:
        """Events after a position, oldest first (a page of at most `limit`)."""
        store = store_of(request)
        head = await check_position(store, after)
        batch = await store.read_all(after, limit=limit)
        next_after = batch[-1].position if batch else after
        envelopes = [to_cloudevent(service, e) for e in batch if _in_place(e, place)]
        return EventPage(events=envelopes, next_after=next_after, head=head)

    @router.get(
        "/stream",
        dependencies=[reader],
        response_class=StreamingResponse,
        responses={
            200: {"content": {"text/event-stream": {}}},
            **_FEED_ERRORS,
            400: _problem("Last-Event-ID is not a position (`bad-last-event-id`)"),
        },
        openapi_extra=_LAST_EVENT_ID,
    )
    async def stream(
        request: Request,
        after: Annotated[int | None, Query(ge=0)] = None,
        place: PlaceQuery = None,
        last_event_id: Annotated[
            str | None, Header(alias="Last-Event-ID", include_in_schema=False)
        ] = None,
    ) -> StreamingResponse:
        """A Server-Sent Events stream of every event after a position, with heartbeats."""
        if last_event_id is not None:
            # ASCII digits only (`isdigit` also takes '²', which `int` refuses), and no more
            # than a position (a BIGINT) has
            if not (
                last_event_id.isascii() and last_event_id.isdigit() and len(last_event_id) <= 19
            ):
                raise Problem(
                    400,
                    "bad-last-event-id",
                    f"Last-Event-ID must be a position (ASCII digits), not {last_event_id[:40]!r}",
                )
            if after is None:
                after = int(last_event_id)
        store = store_of(request)
        start = after or 0
        await check_position(store, start)
        heartbeat = float(request.app.state.settings.feed_heartbeat_seconds)
        waker: Waker = request.app.state.feed_waker

        async def events_after() -> AsyncIterator[str]:
            position = start
            yield f"retry: 3000\n: resuming after position {position}\n\n"
            while not await request.is_disconnected():
                batch = await store.read_all(position, limit=STREAM_BATCH)
                if batch:
                    for e in batch:
                        if _in_place(e, place):
                            body = json.dumps(to_cloudevent(service, e), ensure_ascii=False)
                            yield f"id: {e.position}\nevent: {e.type}\ndata: {body}\n\n"
                    position = batch[-1].position
                    continue
                await waker.wait(heartbeat)
                if await store.head_position() <= position:
                    yield ": heartbeat\n\n"

        return StreamingResponse(
            events_after(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return router
