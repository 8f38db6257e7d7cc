"""Composition root of the notifier service: `create_app` is the uvicorn factory."""

from fastapi import FastAPI

from services.notifier.settings import NotifierSettings
from services.notifier.spec import SPEC
from shared.http.app import create_service_app


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or NotifierSettings())
