"""Composition root of the evaluation service: `create_app` is the uvicorn factory."""

from fastapi import FastAPI

from services.evaluation.settings import EvaluationSettings
from shared.http.app import create_service_app

DESCRIPTION = "等级评估: the 3A–5A grading workflow, recorded on the registry."


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    return create_service_app(
        service="evaluation",
        settings=settings or EvaluationSettings(),
        description=DESCRIPTION,
        produces_events=True,
    )
