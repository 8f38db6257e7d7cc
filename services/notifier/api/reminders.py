"""Reminders raised by the daily scan, by place, kind and day raised."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from services.notifier.api.deps import NotifierDep, Reader, area
from services.notifier.api.reminder_schemas import ReminderPage, ReminderRead
from services.notifier.api.zombies import FORBIDDEN, Place
from shared.contracts.notifier import ReminderKind

router = APIRouter(prefix="/v1/reminders", tags=["reminders"])


@router.get("", responses=FORBIDDEN)
async def list_reminders(
    notifier: NotifierDep,
    client: Reader,
    place: Place = None,
    kind: Annotated[
        list[ReminderKind] | None, Query(description="only these kinds (repeat the parameter)")
    ] = None,
    raised_from: Annotated[date | None, Query(description="raised on or after this day")] = None,
    raised_to: Annotated[date | None, Query(description="raised on or before this day")] = None,
    after: Annotated[int | None, Query(ge=0, description="the page's cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ReminderPage:
    """Reminders in a place (annual reports due or overdue, grades expiring, 限期整改 due or
    overdue), oldest raised first; each was raised once, on NOTIFIER and by webhook."""
    rows = await notifier.reminders.find(
        place=area(client, place),
        kinds=list(kind) if kind else None,
        raised_from=raised_from,
        raised_to=raised_to,
        after=after,
        limit=limit,
    )
    items = [ReminderRead(**r | {"event_id": str(r["event_id"])}) for r in rows]
    return ReminderPage(items=items, next_after=items[-1].id if len(items) == limit else None)
