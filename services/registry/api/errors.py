"""Registry refusals as problem+json: the domain's Refusal code is the problem slug."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.registry.adapters.search import BadCursor
from services.registry.app import errors as app_errors
from services.registry.domain.errors import InvalidCommand, RegistryRefusal, StateConflict
from shared.http.problems import Problem, problem_response

STATUS_OF_APP_ERROR: dict[type[app_errors.ApplicationError], int] = {
    app_errors.OrganizationNotFound: 404,
    app_errors.OutsideClientArea: 403,
    app_errors.VersionConflict: 409,
    app_errors.DuplicateIdentifier: 409,
    app_errors.MissingScope: 403,
}


async def _on_refusal(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RegistryRefusal)
    status = 409 if isinstance(exc, StateConflict) else 422
    assert isinstance(exc, InvalidCommand | StateConflict)
    return problem_response(
        request, Problem(status, exc.code.value, exc.message, title="The registry refused")
    )


async def _on_app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, app_errors.ApplicationError)
    status = STATUS_OF_APP_ERROR.get(type(exc), 422)
    headers = None
    if isinstance(exc, app_errors.VersionConflict):
        headers = {"ETag": f'"{exc.details["current_version"]}"'}
    problem = Problem(status, exc.slug, exc.message, headers=headers)
    problem.extensions.update(exc.details)
    return problem_response(request, problem)


async def _on_bad_cursor(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(request, Problem(422, "invalid-cursor", str(exc)))


def install(app: FastAPI) -> None:
    app.add_exception_handler(RegistryRefusal, _on_refusal)
    app.add_exception_handler(app_errors.ApplicationError, _on_app_error)
    app.add_exception_handler(BadCursor, _on_bad_cursor)
