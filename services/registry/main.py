"""Composition root of the registry service: `create_app` is the uvicorn factory."""

from fastapi import FastAPI

from services.registry.settings import RegistrySettings
from shared.http.app import create_service_app

DESCRIPTION = (
    "System of record of social organizations (社会组织): registration, filing, changes, "
    "annual reports and inspections, ends and ratings; every fact an event."
)


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    return create_service_app(
        service="registry",
        settings=settings or RegistrySettings(),
        description=DESCRIPTION,
        produces_events=True,
    )
