"""Dependencies of the notifier routes: its parts, and the caller's scopes and area."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.notifier.bootstrap import Notifier
from shared.http.auth import require
from shared.http.keys import Client
from shared.http.problems import Problem

READ, SCAN, SUBSCRIBE = "notifier:read", "notifier:scan", "notifier:subscribe"


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
