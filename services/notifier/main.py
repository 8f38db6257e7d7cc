"""Composition root of the notifier service: `create_app` is the uvicorn factory.

The lifespan (shared/http/app.py) builds the platform, runs the relay to NOTIFIER and the
consumer of REGISTRY; `extend` adds the notifier's own parts (bootstrap.py) and its daily scan.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.notifier.api import scans, zombies
from services.notifier.app.clock import Clock, ShanghaiClock
from services.notifier.app.schedule import daily
from services.notifier.bootstrap import bootstrap
from services.notifier.settings import NotifierSettings
from services.notifier.spec import SPEC
from shared.http.app import Platform, create_service_app


def create_app(settings: NotifierSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    config = settings.zombie()

    @asynccontextmanager
    async def notifier_parts(app: FastAPI, platform: Platform) -> AsyncIterator[None]:
        notifier = bootstrap(store=platform.store, config=config, clock=clock or ShanghaiClock())
        app.state.notifier = notifier
        task = None
        if settings.scan_enabled:
            task = asyncio.create_task(
                daily(settings.scan_time, notifier.scanner.scan), name="zombie-scan"
            )
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    return create_service_app(
        SPEC, settings, routers=(zombies.router, scans.router), extend=notifier_parts
    )
