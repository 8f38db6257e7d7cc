"""DNS rebinding: a webhook goes to the address its host passed the SSRF check with, whatever
the name resolves to by the time of the connection; the name stays the Host and TLS name."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from services.notifier.adapters.webhook_http import HttpxSender
from services.notifier.app.delivery import Deliverer
from services.notifier.app.webhook_config import WebhookConfig
from services.notifier.domain.addresses import Address
from services.notifier.domain.signing import new_secret
from services.notifier.domain.subscriptions import Subscription
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.outbox.reader import OutboxReader

PUBLIC = "202.96.134.133"


class Rebinding:
    """A public address at the first question; 127.0.0.1 to anyone asking after it."""

    def __init__(self) -> None:
        self.asked = 0

    async def addresses(self, host: str, port: int) -> list[Address]:
        self.asked += 1
        return [ipaddress.ip_address(PUBLIC if self.asked == 1 else "127.0.0.1")]


class Empty(httpx.AsyncByteStream):
    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b""


class Recorder(httpx.AsyncBaseTransport):
    """A transport that keeps each request and answers 204 without connecting anywhere."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return httpx.Response(204, stream=Empty())


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[Recorder, HttpxSender]]:
    seen = Recorder()
    sender = HttpxSender(seen)
    yield seen, sender
    await sender.aclose()


async def test_the_request_targets_the_checked_address_with_the_name_as_host_and_tls_name(
    recorder: tuple[Recorder, HttpxSender],
) -> None:
    seen, sender = recorder
    url = "https://hooks.example.gov.cn:8443/socorg?x=1"
    got = await sender.post(url, b"{}", {"webhook-id": "e1"}, 2.0, to=ipaddress.ip_address(PUBLIC))
    assert got.status == 204
    (request,) = seen.seen
    assert (request.url.host, request.url.port, request.url.raw_path) == (
        PUBLIC,
        8443,
        b"/socorg?x=1",
    )
    assert request.headers["host"] == "hooks.example.gov.cn:8443"
    assert request.extensions["sni_hostname"] == "hooks.example.gov.cn"


async def test_a_name_rebound_to_loopback_after_the_check_is_not_sent_to_loopback(
    recorder: tuple[Recorder, HttpxSender],
) -> None:
    seen, sender = recorder
    engine = make_async_engine("sqlite+aiosqlite://")
    names = Rebinding()
    worker = Deliverer(
        engine=engine,
        reader=OutboxReader(SqlEventStore(engine), "notifier"),
        sender=sender,
        resolver=names,
        config=WebhookConfig(allow_loopback=False),
    )
    sub = Subscription(
        "s1", "c1", "https://rebind.example.com/hook", ("zombie_flagged",), None, new_secret()
    )
    try:
        answer = await worker._post(sub, "e1", b"{}", datetime.now(UTC))
    finally:
        await engine.dispose()
    assert answer.status == 204
    assert names.asked == 1  # by the check; the connection does not ask again
    assert [(r.url.host, r.headers["host"]) for r in seen.seen] == [(PUBLIC, "rebind.example.com")]
