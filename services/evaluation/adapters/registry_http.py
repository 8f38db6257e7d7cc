"""The registry's rating route over httpx: one `PUT /v1/organizations/{id}/rating` with the
evaluation's own service key, a timeout per attempt; a refusal's problem+json kept."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from services.evaluation.app.ports import RegistryAnswer


class HttpxRegistry:
    def __init__(
        self, base_url: str, key: str, *, timeout: float, client: httpx.AsyncClient | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.timeout = timeout
        self._client = client  # made at the first call: a process that sends none opens none

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(follow_redirects=False)
        return self._client

    async def record_rating(self, organization_id: str, body: dict[str, Any]) -> RegistryAnswer:
        url = f"{self.base_url}/v1/organizations/{quote(organization_id, safe='')}/rating"
        headers = {"X-API-Key": self.key, "user-agent": "socorg-evaluation"}
        try:
            response = await self.client.put(url, json=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            return RegistryAnswer(None, error=f"{type(exc).__name__}: {exc}"[:300])
        if response.is_success:
            return RegistryAnswer(response.status_code)
        return RegistryAnswer(response.status_code, problem=_problem(response))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def _problem(response: httpx.Response) -> dict[str, Any]:
    """The refusal's problem+json; any other body as its first 300 characters."""
    try:
        found = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        found = None
    if isinstance(found, dict):
        return found
    return {"status": response.status_code, "detail": response.text[:300]}


class NoRegistry:
    """The registry client of a command run outside the service (the demo, a draw): it sends
    nothing itself; the running service's sender records any rating."""

    async def record_rating(self, organization_id: str, body: dict[str, Any]) -> Any:
        raise AssertionError("a command run outside the service does not call the registry")
