"""Evaluation refusals as problem+json: each refusal's slug is the problem type."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.evaluation.domain.errors import DomainRefusal
from shared.http.problems import Problem, problem_response


def problem(description: str) -> dict[str, Any]:
    """An OpenAPI response entry whose body is problem+json."""
    return {
        "description": f"{description} (problem+json)",
        "content": {"application/problem+json": {}},
    }


async def _on_refusal(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainRefusal)
    extensions = getattr(exc, "extensions", {})
    return problem_response(request, Problem(exc.status, exc.slug, exc.message, **extensions))


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainRefusal, _on_refusal)
