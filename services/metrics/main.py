"""Composition root of the metrics service: `create_app` is the uvicorn factory."""

from fastapi import FastAPI

from services.metrics.settings import MetricsSettings
from shared.http.app import create_service_app

DESCRIPTION = (
    "Projections of the plans' policy targets: shares, counts and densities per "
    "place, with forecasts and a dashboard."
)


def create_app(settings: MetricsSettings | None = None) -> FastAPI:
    return create_service_app(
        service="metrics",
        settings=settings or MetricsSettings(),
        description=DESCRIPTION,
        produces_events=False,
    )
