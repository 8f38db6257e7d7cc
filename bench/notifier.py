"""The notifier: its zombie scan over the national register's projection, and the time from
a REGISTRY event to a webhook receiver's 2xx under a steady registry write load.

- scan: `Scanner.scan()` (services/notifier/app/scan.py: candidates and the no-report signal
  in SQL over the projection, the diff against the flags, the flag events recorded 500 a
  transaction) on SCAN_DAY over the projection of the whole national register
  (bench/projections.py fills it through the projection's own apply_batch); the first scan
  flags every candidate (`zombie_scan_s`, with the number flagged), a second one of the same
  day finds nothing to change (`zombie_rescan_s`, an extra figure).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from bench.common import pg_url
from bench.registry import Latencies
from services.notifier.app.scan import Scanner
from services.notifier.bootstrap import CODEC, projection
from services.notifier.consumers.registry import RegistryProjection
from services.notifier.domain.zombie import ZombieConfig
from shared.db import make_async_engine
from shared.eventstore.model import DEFAULT_MAX_EVENT_BYTES
from shared.eventstore.sql import SqlEventStore

SCAN_DAY = date(2025, 6, 1)  # the national demo's facts run to 31 May 2025


def notifier_projection() -> RegistryProjection:
    return projection(ZombieConfig(), DEFAULT_MAX_EVENT_BYTES)


async def scan(db: str, organizations: int) -> dict[str, Latencies]:
    """The first scan of SCAN_DAY (flags every candidate) and a second one (no change)."""
    store = SqlEventStore(make_async_engine(pg_url(db)))
    scanner = Scanner(store=store, config=ZombieConfig(), codec=CODEC)
    out: dict[str, Latencies] = {}
    try:
        for key in ("zombie_scan", "zombie_rescan"):
            started = time.perf_counter()
            found = await scanner.scan(SCAN_DAY, client="bench")
            seconds = time.perf_counter() - started
            out[key] = Latencies(
                "Scanner.scan (first)" if key == "zombie_scan" else "Scanner.scan (again)",
                organizations,
                seconds,
                [seconds],
                note=f"zombie scan of {SCAN_DAY} over {organizations:,} organizations: "
                + (
                    "every candidate flagged, its events recorded"
                    if key == "zombie_scan"
                    else "the same day again, nothing to change"
                ),
                extra=_extra(found),
            )
    finally:
        await store.engine.dispose()
    return out


def _extra(found: Any) -> dict[str, Any]:
    return {
        "candidates": found.candidates,
        "flagged": found.flagged,
        "cleared": found.cleared,
        "signals_raised": found.signals_raised,
        "signals_cleared": found.signals_cleared,
    }
