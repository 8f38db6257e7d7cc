"""The webhook sender on httpx (one POST to the address the SSRF check passed, a timeout per
attempt, no redirects followed) and the resolver of host names the SSRF check asks."""

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
    """Connects to the checked address itself, never to what the name resolves to by then
    (DNS rebinding), keeping the URL's name as the Host header and as the TLS server name
    (SNI and the certificate check). One pool per host name: a kept-alive connection, set
    up for one name's certificate, is never reused for another name at the same address."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._transport = transport
        self._clients: dict[str, httpx.AsyncClient] = {}  # made at a host's first POST

    def _client(self, host: str) -> httpx.AsyncClient:
        if host not in self._clients:
            # Redirects are not followed: a receiver could send the request on to an address
            # the SSRF check refuses.
            self._clients[host] = httpx.AsyncClient(
                follow_redirects=False, transport=self._transport
            )
        return self._clients[host]

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], within: float, *, to: Address
    ) -> Answer:
        started = time.monotonic()
        sent = {**headers, "content-type": "application/json", "user-agent": "socorg-notifier"}
        named = httpx.URL(url)
        try:
            async with asyncio.timeout(within):
                client = self._client(named.netloc.decode("ascii"))
                request = client.build_request(
                    "POST",
                    named.copy_with(host=str(to)),
                    content=body,
                    headers=sent | {"host": named.netloc.decode("ascii")},
                    timeout=within,
                    extensions={"sni_hostname": named.raw_host.decode("ascii")},
                )
                response = await client.send(request, stream=True)
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
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


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
