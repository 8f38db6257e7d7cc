"""Composition root of the metrics service: `create_app` is the uvicorn factory.

The lifespan (shared/http/app.py) builds the platform and runs the projections' consumers;
`extend` adds the metrics' own parts (bootstrap.py): places, target sets, queries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.metrics.api import dashboard, indicators, reported, targets
from services.metrics.bootstrap import bootstrap
from services.metrics.settings import MetricsSettings
from services.metrics.spec import SPEC
from shared.http.app import Platform, create_service_app

ROUTERS = (
    targets.router,
    indicators.router,
    reported.router,
    dashboard.router,
    dashboard.page_router,
)


def create_app(settings: MetricsSettings | None = None) -> FastAPI:
    settings = settings or MetricsSettings()

    @asynccontextmanager
    async def metrics_parts(app: FastAPI, platform: Platform) -> AsyncIterator[None]:
        app.state.metrics = bootstrap(
            platform.engine, places_file=settings.places_file, targets_dir=settings.targets_dir
        )
        yield

    return create_service_app(SPEC, settings, routers=ROUTERS, extend=metrics_parts)
