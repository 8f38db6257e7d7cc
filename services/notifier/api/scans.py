"""Scans on demand: the zombie rule over the whole register on any day."""

from __future__ import annotations

from fastapi import APIRouter

from services.notifier.api.deps import NotifierDep, ScanRunner
from services.notifier.api.schemas import ScanCreate, ScanRead
from shared.http.problems import Problem

router = APIRouter(prefix="/v1/scans", tags=["scans"])


@router.post("", responses={403: {"description": "the key lacks notifier:scan (problem+json)"}})
async def run_scan(body: ScanCreate, notifier: NotifierDep, client: ScanRunner) -> ScanRead:
    """Scan the register on a day: flags raised and cleared as events on NOTIFIER; a day
    scanned again changes nothing."""
    if client.place is not None:  # a scan judges, and flags, the whole register
        raise Problem(
            403,
            "outside-client-area",
            f"a scan covers every place; the key covers {client.place} only",
            client_place=client.place,
        )
    result = await notifier.scanner.scan(body.on, client=client.id)
    return ScanRead(**vars(result))
