"""Composition root of the notifier service: `create_app` is the uvicorn factory.

The lifespan (shared/http/app.py) builds the platform, runs the relay to NOTIFIER and the
consumer of REGISTRY; `extend` adds the notifier's own parts (bootstrap.py), its daily scan
(zombies and reminders, one replica at a time) and its webhook delivery worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.notifier.adapters.webhook_http import HttpxSender
from services.notifier.api import deliveries, reminders, scans, subscriptions, zombies
from services.notifier.app.day_scan import ScanRunning
from services.notifier.bootstrap import bootstrap
from services.notifier.settings import NotifierSettings
from services.notifier.spec import SPEC
from shared.clock import Clock, ShanghaiClock
from shared.http.app import Platform, create_service_app
from shared.schedule import daily


def create_app(settings: NotifierSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    config = settings.zombie()

    @asynccontextmanager
    async def notifier_parts(app: FastAPI, platform: Platform) -> AsyncIterator[None]:
        sender = HttpxSender()
        today = clock or ShanghaiClock()  # the scans judge by it, the daily one too
        notifier = bootstrap(
            store=platform.store,
            config=config,
            clock=today,
            webhooks=settings.webhooks(),
            reminders=settings.reminders(),
            sender=sender,
        )
        app.state.notifier = notifier
        scan = None
        if settings.scan_enabled:
            scan = asyncio.create_task(
                daily(
                    settings.scan_time,
                    notifier.day_scan.run,
                    "scan",
                    elsewhere=(ScanRunning,),
                    clock=today,
                ),
                name="daily-scan",
            )
        worker = None
        if settings.webhook_enabled:
            platform.store.on_commit.append(notifier.worker.kick)
            worker = asyncio.create_task(notifier.worker.run(), name="webhook-deliveries")
        try:
            yield
        finally:
            if scan is not None:
                scan.cancel()
                await asyncio.gather(scan, return_exceptions=True)
            if worker is not None:  # the attempts under way finish (or are sent again later)
                notifier.worker.stop()
                try:
                    await asyncio.wait_for(worker, settings.shutdown_grace_seconds)
                except (TimeoutError, asyncio.CancelledError):
                    pass
            await sender.aclose()

    return create_service_app(
        SPEC,
        settings,
        routers=(
            zombies.router,
            reminders.router,
            scans.router,
            subscriptions.router,
            deliveries.router,
        ),
        extend=notifier_parts,
    )
