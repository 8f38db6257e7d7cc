"""The webhook sender on httpx (one POST, a timeout per attempt, no redirects followed) and
the resolver of host names the SSRF check asks."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Mapping

import httpx

from services.notifier.app.webhook_ports import EXCERPT_BYTES, Answer
from services.notifier.domain.addresses import Address


class HttpxSender:
    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self._client = client  # made at the first POST: a process that sends none opens none

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            # Redirects are not followed: a receiver could send the request on to an address
            # the SSRF check refuses.
            self._client = httpx.AsyncClient(follow_redirects=False)
        return self._client

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], within: float
    ) -> Answer:
        started = time.monotonic()
        sent = {**headers, "content-type": "application/json", "user-agent": "socorg-notifier"}
        try:
            async with asyncio.timeout(within):
                request = self.client.build_request(
                    "POST", url, content=body, headers=sent, timeout=within
                )
                response = await self.client.send(request, stream=True)
                try:
                    excerpt = await _excerpt(response)
                finally:
                    await response.aclose()
        except TimeoutError:
            return Answer(None, _ms(started), error=f"timeout after {within:g} s")
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
            return Answer(None, _ms(started), error=error)
        return Answer(
            response.status_code,
            _ms(started),
            retry_after=response.headers.get("retry-after"),
            excerpt=excerpt,
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


async def _excerpt(response: httpx.Response) -> str:
    """The first KiB of the body (the rest is not read)."""
    got = b""
    async for chunk in response.aiter_raw():
        got += chunk
        if len(got) >= EXCERPT_BYTES:
            break
    return got[:EXCERPT_BYTES].decode("utf-8", "replace")


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


class DnsResolver:
    async def addresses(self, host: str, port: int) -> list[Address]:
        try:
            return [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
