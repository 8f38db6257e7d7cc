"""Who is calling: the API key from `Authorization: Bearer` or `X-API-Key`, and its scopes."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from shared.http.keys import Client, KeyStore
from shared.http.problems import Problem

DEV_CLIENT = Client("development", "development key", frozenset({"*"}))


def presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("x-api-key") or None


def same_secret(presented: str, expected: str) -> bool:
    """Constant-time equality of two secrets of any characters.

    `compare_digest` takes only ASCII `str`s (a header may carry any byte, decoded as
    Latin-1), so both are compared as UTF-8 bytes.
    """
    return secrets.compare_digest(presented.encode(), expected.encode())


async def authenticate(request: Request) -> Client:
    known: Client | None = getattr(request.state, "client", None)
    if known is not None:  # authenticated already, before the idempotency layer stored anything
        return known
    raw = presented_key(request)
    if raw is None:
        raise Problem(
            401,
            "unauthenticated",
            "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    dev_key: str | None = request.app.state.settings.effective_dev_key
    if dev_key is not None and same_secret(raw, dev_key):
        request.state.client = DEV_CLIENT
        return DEV_CLIENT
    keys: KeyStore = request.app.state.keys
    client = await keys.lookup(raw)
    if client is None:
        raise Problem(
            401,
            "unknown-key",
            "the API key is unknown or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.client = client
    return client


CurrentClient = Annotated[Client, Depends(authenticate)]


def require(scope: str) -> Callable[[Client], Awaitable[Client]]:
    """A dependency that admits only clients holding `scope`."""

    async def check(client: CurrentClient) -> Client:
        if not client.has(scope):
            raise Problem(
                403,
                "missing-scope",
                f"this request needs the scope {scope!r}; the key has "
                f"{', '.join(sorted(client.scopes)) or 'none'}",
                required_scope=scope,
            )
        return client

    return check
