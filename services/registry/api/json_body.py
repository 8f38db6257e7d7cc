"""JSON request bodies read strictly: UTF-8 only, and no key given twice in one object.

The standard parser takes any of UTF-8, UTF-16 and UTF-32 (RFC 8259 allows only UTF-8 between
systems) and keeps the last of two equal keys, so `{"name": "甲", "name": "乙"}` would record
乙 while the caller may have checked 甲. The route class checks the body once before FastAPI
reads it, and hands over the parsed value so nothing is parsed twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from services.registry.app.imports.reader import DuplicateKey, unique_keys
from shared.http.problems import Problem

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


async def check_json_body(request: Request) -> None:
    """Refuse a JSON body that is not UTF-8 (415) or repeats a key (400); keep its value."""
    if not _is_json(request.headers.get("content-type")):
        return
    body = await request.body()
    if not body:
        return
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem(415, "not-utf-8", "a JSON body must be UTF-8 (RFC 8259)") from None
    try:
        value = json.loads(text, object_pairs_hook=unique_keys)
    except DuplicateKey as exc:
        raise Problem(400, "duplicate-key", f"the body is ambiguous: {exc}") from None
    except Exception:  # noqa: BLE001 - not JSON at all: FastAPI's own parse reports it
        return
    request._json = value  # Starlette's cache of request.json(): the body is parsed once


class StrictJsonRoute(APIRoute):
    """An APIRoute whose JSON body is checked by `check_json_body` first."""

    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()
        if self.body_field is None:
            return handle

        async def strict(request: Request) -> Response:
            await check_json_body(request)
            return await handle(request)

        return strict
