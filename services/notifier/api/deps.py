"""Dependencies of the notifier routes: its parts, and the caller's scopes and area."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request

from services.notifier.bootstrap import Notifier
from shared.http.auth import require
from shared.http.keys import Client
from shared.http.problems import Problem

READ, SCAN, SUBSCRIBE = "notifier:read", "notifier:scan", "notifier:subscribe"
# Declared by every route that takes a body: one that is not JSON at all is refused before
# the route (by FastAPI, through the platform's problem+json handler).
BAD_BODY: dict[int | str, dict[str, Any]] = {
    400: {"description": "the body cannot be parsed as JSON (problem+json)"}
}

# PostgreSQL text cannot hold NUL: an id or a cursor holding one is refused (422 validation)
# before it reaches a query, and the schema says so.
NUL_FREE = r"^[^\x00]*$"
SubscriptionId = Annotated[str, Path(pattern=NUL_FREE)]


async def _notifier(request: Request) -> Notifier:
    notifier: Notifier = request.app.state.notifier
    return notifier


NotifierDep = Annotated[Notifier, Depends(_notifier)]
Reader = Annotated[Client, Depends(require(READ))]
ScanRunner = Annotated[Client, Depends(require(SCAN))]
Subscriber = Annotated[Client, Depends(require(SUBSCRIBE))]


def area(client: Client, place: str | None) -> str | None:
    """The place a read covers: the one asked for, inside the key's area; else the key's."""
    if place is None:
        return client.place
    if not client.covers(place):
        raise Problem(
            403,
            "outside-client-area",
            f"the key covers {client.place}; {place} lies outside it",
            client_place=client.place,
        )
    return place
