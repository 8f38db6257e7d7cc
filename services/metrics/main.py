"""Composition root of the metrics service: `create_app` is the uvicorn factory."""

from fastapi import FastAPI

from services.metrics.settings import MetricsSettings
from services.metrics.spec import SPEC
from shared.http.app import create_service_app


def create_app(settings: MetricsSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or MetricsSettings())
