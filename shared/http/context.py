"""Per-request context (request id) visible to logging and error bodies."""

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
