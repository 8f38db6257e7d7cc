"""Request ids, access logs and Prometheus request metrics, as one pure ASGI middleware.

It is also where an unexpected error becomes a 500: Starlette's catch-all handler runs outside
every middleware (no request id left to quote, no `X-Request-ID`) and re-raises after
answering, so the server closes the keep-alive connection. Answered here, the 500 carries the
request id in its body, header and log line, and the connection stays open.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.context import request_id
from shared.http.problems import internal_error

log = logging.getLogger("socorg.access")
errors = logging.getLogger("socorg.http")
REQUESTS = Counter("socorg_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("socorg_http_request_seconds", "HTTP request latency", ["method", "route"])
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class ObserveMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        status = 500
        started = False
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            errors.exception("unhandled error", extra={"path": scope["path"]})
            if started:  # part of the response is out: only closing tells the client
                raise
            await internal_error(scope["path"], send_with_id)
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            REQUESTS.labels(scope["method"], template, str(status)).inc()
            LATENCY.labels(scope["method"], template).observe(elapsed)
            log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={"status": status, "duration_ms": round(elapsed * 1000, 2)},
            )
            request_id.reset(token)
