"""Composition root of the notifier service: `create_app` is the uvicorn factory."""

from fastapi import FastAPI

from services.notifier.settings import NotifierSettings
from shared.http.app import create_service_app

DESCRIPTION = "Zombie organizations, reminders and alerts over NATS and signed webhooks."


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    return create_service_app(
        service="notifier",
        settings=settings or NotifierSettings(),
        description=DESCRIPTION,
        produces_events=True,
    )
