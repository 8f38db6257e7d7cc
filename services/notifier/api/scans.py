"""Scans on demand: the zombie rule and the reminders over the whole register on a day up to
today (app/day_scan.py: which days record)."""

from __future__ import annotations

from fastapi import APIRouter

from services.notifier.api.deps import BAD_BODY, NotifierDep, ScanRunner
from services.notifier.api.schemas import ScanCreate, ScanRead
from services.notifier.app.day_scan import ScanDayInFuture, ScanRunning
from shared.http.problems import Problem

router = APIRouter(prefix="/v1/scans", tags=["scans"])


@router.post(
    "",
    responses=BAD_BODY
    | {
        403: {"description": "the key lacks notifier:scan, or covers one place (problem+json)"},
        409: {"description": "another replica is scanning now: try again later (problem+json)"},
        422: {
            "description": "the day has not come yet on the service's clock "
            "(scan-day-in-future), or the body is invalid (problem+json)"
        },
    },
)
async def run_scan(body: ScanCreate, notifier: NotifierDep, client: ScanRunner) -> ScanRead:
    """Scan the register on a day up to today: zombie flags raised and cleared, and reminders
    raised, as events on NOTIFIER; a day scanned again changes nothing, a day before the latest
    scan is answered and not recorded."""
    if client.place is not None:  # a scan judges, and flags, the whole register
        raise Problem(
            403,
            "outside-client-area",
            f"a scan covers every place; the key covers {client.place} only",
            client_place=client.place,
        )
    try:
        done = await notifier.day_scan.run(body.on, client=client.id)
    except ScanRunning as running:
        raise Problem(409, "scan-running", str(running)) from None
    except ScanDayInFuture as future:
        raise Problem(
            422, "scan-day-in-future", str(future), today=future.today.isoformat()
        ) from None
    return ScanRead(
        **vars(done.zombies),
        reminders=done.reminders.raised,
        recorded=done.recorded,
        latest_scan=done.latest,
    )
