"""Dependencies of the registry routes: its parts, the acting client, If-Match."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Request

from services.registry.app.handlers import Actor, RegistryHandlers
from services.registry.app.queries import RegistryQueries
from services.registry.bootstrap import Registry
from shared.http.auth import CurrentClient, require
from shared.http.context import request_id
from shared.http.keys import Client
from shared.http.problems import Problem

READ, WRITE, OVERRIDE = "registry:read", "registry:write", "registry:override"
RATE_SCOPES = ("evaluation:decide", "registry:rate")


# Dependencies are `async def` though they never wait: FastAPI runs a plain `def` in its
# thread pool, a thread hop per dependency per request.
async def _registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


async def _handlers(registry: Annotated[Registry, Depends(_registry)]) -> RegistryHandlers:
    return registry.handlers


async def _queries(registry: Annotated[Registry, Depends(_registry)]) -> RegistryQueries:
    return registry.queries


RegistryDep = Annotated[Registry, Depends(_registry)]
Handlers = Annotated[RegistryHandlers, Depends(_handlers)]
Queries = Annotated[RegistryQueries, Depends(_queries)]
Reader = Annotated[Client, Depends(require(READ))]
Writer = Annotated[Client, Depends(require(WRITE))]


def actor(client: Client) -> Actor:
    """The client as the event metadata records it, with the request as correlation id."""
    return Actor(client.id, client.name, client.covers, request_id.get(), client.has(OVERRIDE))


async def _rater(client: CurrentClient) -> Client:
    if not any(client.has(s) for s in RATE_SCOPES):
        raise Problem(
            403,
            "missing-scope",
            f"recording a rating needs one of the scopes {', '.join(RATE_SCOPES)}",
            required_scope=RATE_SCOPES[0],
        )
    return client


Rater = Annotated[Client, Depends(_rater)]

_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


def parse_if_match(value: str | None) -> int | None:
    if value is None:
        return None
    match = _ETAG.match(value.strip())
    if match is None:
        raise Problem(
            400, "bad-if-match", f'If-Match must be the ETag "<version>", not {value[:40]!r}'
        )
    return int(match.group(1))


# If-Match is read here rather than declared as a Header parameter, whose checks would answer
# 422; the routes declare it in the OpenAPI (api/common.py `if_match`).
async def _optional_if_match(request: Request) -> int | None:
    return parse_if_match(request.headers.get("if-match"))


async def _required_if_match(request: Request) -> int:
    version = parse_if_match(request.headers.get("if-match"))
    if version is None:
        raise Problem(
            428,
            "if-match-required",
            'send If-Match: "<version>" with the version you read (the ETag of the GET)',
        )
    return version


IfMatch = Annotated[int | None, Depends(_optional_if_match)]
RequiredIfMatch = Annotated[int, Depends(_required_if_match)]


def etag(version: int) -> str:
    return f'"{version}"'
