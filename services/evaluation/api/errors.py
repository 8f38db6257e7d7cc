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


# Declared by every write: a body that is not JSON at all, or a malformed Idempotency-Key, is
# refused before the route (through the platform's problem+json handler).
BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: problem("the body cannot be parsed as JSON, or the Idempotency-Key is malformed")
}


async def _on_refusal(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainRefusal)
    extensions = getattr(exc, "extensions", {})
    return problem_response(request, Problem(exc.status, exc.slug, exc.message, **extensions))


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainRefusal, _on_refusal)
