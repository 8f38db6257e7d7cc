"""RFC 9457 problem+json for every error a service returns, validation errors included."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Send

from shared.eventstore.sql import CommitOutcomeUnknown
from shared.http.context import request_id

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("socorg.http")


class Problem(Exception):
    """An error a client can act on: a stable type, a title and what exactly was wrong."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.headers = headers
        self.extensions = extensions

    def body(self, instance: str) -> dict[str, Any]:
        return {
            "type": f"urn:socorg:problem:{self.slug}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            "request_id": request_id.get(),
            **self.extensions,
        }


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    return JSONResponse(
        problem.body(request.url.path),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=problem.headers,
    )


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc)


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(request, exc)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"location": _location(e.get("loc", ())), "message": e.get("msg", ""), "type": e["type"]}
        for e in exc.errors()
    ]
    summary = "; ".join(f"{e['location']}: {e['message']}" for e in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return problem_response(
        request,
        Problem(
            422,
            "validation",
            f"{summary}{more}",
            title="The request is not valid",
            errors=errors,
        ),
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-").replace("'", "")
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no resource at {request.url.path}"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        headers["Allow"] = ", ".join(_allowed(request)) or headers.get("Allow", "")
    return problem_response(request, Problem(exc.status_code, slug, detail, headers=headers))


def _allowed(request: Request) -> list[str]:
    """Every method some route of the app answers at this path (Starlette's 405 names only the
    first route's, so a path with a GET route and a POST route would seem to have one)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.router.routes):  # included routers' too
        if route.methods:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                methods |= route.methods
    return sorted(methods)


OUTCOME_UNKNOWN = (
    "the connection to the database was lost while the write was being committed: it may or "
    "may not have been stored. Retry the same request with the same Idempotency-Key: the "
    "retry answers the stored outcome if the write was stored, and performs it if it was not "
    "(a retry without one may repeat it, or be refused as a duplicate)"
)


async def _on_outcome_unknown(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CommitOutcomeUnknown)
    log.warning("write outcome unknown: %s", exc, extra={"path": request.url.path})
    problem = Problem(
        503,
        "outcome-unknown",
        OUTCOME_UNKNOWN,
        title="Outcome unknown",
        headers={"Retry-After": "1"},
    )
    return problem_response(request, problem)


async def internal_error(path: str, send: Send) -> None:
    """Answer the 500 of an unexpected error (shared.http.observe catches it, logs it)."""
    problem = Problem(
        500, "internal", "an unexpected error occurred; quote the request_id to support"
    )
    body = json.dumps(problem.body(path), ensure_ascii=False).encode()
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def install(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(CommitOutcomeUnknown, _on_outcome_unknown)
