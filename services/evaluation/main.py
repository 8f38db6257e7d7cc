"""Composition root of the evaluation service: `create_app` is the uvicorn factory."""

from fastapi import FastAPI

from services.evaluation.settings import EvaluationSettings
from services.evaluation.spec import SPEC
from shared.http.app import create_service_app


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or EvaluationSettings())
