"""Composition root of the evaluation service: `create_app` is the uvicorn factory.

The lifespan (shared/http/app.py) builds the platform, runs the relay to EVALUATION and the
consumer of REGISTRY; `extend` adds the evaluation's own parts (bootstrap.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.evaluation.api import applications, eligibility, investigations, rounds
from services.evaluation.api.errors import install
from services.evaluation.bootstrap import bootstrap
from services.evaluation.settings import EvaluationSettings
from services.evaluation.spec import SPEC
from shared.clock import Clock, ShanghaiClock
from shared.http.app import Platform, create_service_app


def create_app(
    settings: EvaluationSettings | None = None, *, clock: Clock | None = None
) -> FastAPI:
    settings = settings or EvaluationSettings()
    switches = settings.switches()

    @asynccontextmanager
    async def evaluation_parts(app: FastAPI, platform: Platform) -> AsyncIterator[None]:
        app.state.evaluation = bootstrap(
            store=platform.store,
            switches=switches,
            clock=clock or ShanghaiClock(),
            defaults=settings.defaults(),
        )
        yield

    app = create_service_app(
        SPEC,
        settings,
        routers=(
            eligibility.router,
            investigations.router,
            rounds.router,
            applications.router,
            applications.overdue,
        ),
        extend=evaluation_parts,
    )
    install(app)
    return app
