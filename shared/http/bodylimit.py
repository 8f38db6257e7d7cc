"""One limit on every request body (1 MiB), except on routes that stream theirs (imports).

Every field of a command is bounded, so no command needs more; a larger body is refused
before it is read into memory: by its Content-Length at once, and a chunked one as soon as
it passes the limit. Routes that read their body as a stream of rows (bulk imports) bound
each row instead and are named in `streamed`.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.problems import Problem, problem_response

MAX_BODY = 1024 * 1024


class BodyTooLarge(HTTPException):
    """The body went past the limit while it was read (an HTTPException, so that FastAPI's
    body parsing lets it through rather than answering 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413)
        self.limit = limit


def _problem(limit: int) -> Problem:
    detail = f"request bodies are limited to {limit // 1024} KiB (bulk imports excepted)"
    return Problem(
        413,
        "body-too-large",
        detail,
        title="Content Too Large",
        headers={"Connection": "close"},  # the rest of the body is not read
        limit_bytes=limit,
    )


async def on_body_too_large(request: Request, exc: Exception) -> JSONResponse:
    """The handler of BodyTooLarge raised while a route read its body."""
    assert isinstance(exc, BodyTooLarge)
    return problem_response(request, _problem(exc.limit))


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, limit: int = MAX_BODY, streamed: tuple[str, ...] = ("/v1/imports",)
    ) -> None:
        self.app = app
        self.limit = limit
        self.streamed = streamed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.streamed):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(self.limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, watched)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        response = problem_response(Request(scope), _problem(self.limit))
        await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
