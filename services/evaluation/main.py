"""Composition root of the evaluation service: `create_app` is the uvicorn factory.

The lifespan (shared/http/app.py) builds the platform, runs the relay to EVALUATION and the
consumer of REGISTRY; `extend` adds the evaluation's own parts (bootstrap.py) and the sender
of ratings to the registry.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.evaluation.adapters.registry_http import HttpxRegistry
from services.evaluation.api import (
    applications,
    eligibility,
    follow_ups,
    investigations,
    publicity,
    rating_changes,
    registry_records,
    rounds,
)
from services.evaluation.api.errors import install
from services.evaluation.app.errors import ExpiryScanRunning
from services.evaluation.bootstrap import bootstrap
from services.evaluation.settings import EvaluationSettings
from services.evaluation.spec import SPEC
from shared.clock import Clock, ShanghaiClock
from shared.http.app import Platform, create_service_app
from shared.schedule import daily


def create_app(
    settings: EvaluationSettings | None = None, *, clock: Clock | None = None
) -> FastAPI:
    settings = settings or EvaluationSettings()
    switches = settings.switches()

    @asynccontextmanager
    async def evaluation_parts(app: FastAPI, platform: Platform) -> AsyncIterator[None]:
        registry = HttpxRegistry(
            settings.registry_url,
            settings.registry_key(),
            timeout=settings.registry_timeout_seconds,
        )
        today = clock or ShanghaiClock()
        evaluation = bootstrap(
            store=platform.store,
            switches=switches,
            clock=today,
            defaults=settings.defaults(),
            registry=registry,
            recorder=settings.recorder(),
            registry_link=settings.registry_public_url or settings.registry_url,
            follow_up_share=settings.follow_up_share,
        )
        app.state.evaluation = evaluation
        sender = None
        if settings.registry_sender_enabled:
            platform.store.on_commit.append(evaluation.recorder.kick)
            sender = asyncio.create_task(evaluation.recorder.run(), name="registry-records")
        scan = None
        if settings.expiry_scan_enabled:
            expire = evaluation.reactions.expire
            scan = asyncio.create_task(
                daily(
                    settings.expiry_time,
                    expire,
                    "expiry scan",
                    elsewhere=(ExpiryScanRunning,),
                    clock=today,
                ),
                name="expiry-scan",
            )
        try:
            yield
        finally:
            if scan is not None:
                scan.cancel()
                await asyncio.gather(scan, return_exceptions=True)
            if sender is not None:  # the attempt under way finishes (or is sent again later)
                evaluation.recorder.stop()
                try:
                    await asyncio.wait_for(sender, settings.shutdown_grace_seconds)
                except (TimeoutError, asyncio.CancelledError):
                    pass
            await registry.aclose()

    app = create_service_app(
        SPEC,
        settings,
        routers=(
            eligibility.router,
            investigations.router,
            rounds.router,
            applications.router,
            applications.overdue,
            registry_records.router,
            rating_changes.router,
            rating_changes.expiry,
            follow_ups.router,
            publicity.router,
        ),
        extend=evaluation_parts,
    )
    install(app)
    return app
