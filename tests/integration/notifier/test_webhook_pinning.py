"""DNS rebinding over real sockets: the POST reaches the address the check passed (a receiver
on 127.0.0.2), not the one the name resolves to when connecting (127.0.0.1, same port)."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime

from services.notifier.adapters.webhook_http import HttpxSender
from services.notifier.app.delivery import Deliverer
from services.notifier.app.webhook_config import WebhookConfig
from services.notifier.domain.addresses import Address
from services.notifier.domain.signing import new_secret
from services.notifier.domain.subscriptions import Subscription
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore
from shared.natsserver import free_port
from shared.outbox.reader import OutboxReader
from tests.integration.notifier.webhook_receiver import Receiver
from tests.integration.servers import serve


class CheckedAt:
    """The resolver the check asks: `localhost` is 127.0.0.2 (the system says 127.0.0.1)."""

    async def addresses(self, host: str, port: int) -> list[Address]:
        return [ipaddress.ip_address("127.0.0.2")]


async def test_the_post_goes_to_the_checked_address_not_to_a_second_resolution() -> None:
    checked, resolved_later = Receiver(), Receiver()
    port = free_port()
    engine = make_async_engine("sqlite+aiosqlite://")
    sender = HttpxSender()
    worker = Deliverer(
        engine=engine,
        reader=OutboxReader(SqlEventStore(engine), "notifier"),
        sender=sender,
        resolver=CheckedAt(),
        config=WebhookConfig(allow_loopback=True, timeout=5),
    )
    url = f"http://localhost:{port}/hooks/a"
    sub = Subscription("s1", "c1", url, ("zombie_flagged",), None, new_secret())
    try:
        async with (
            serve(checked.app(), port, host="127.0.0.2"),
            serve(resolved_later.app(), port, host="127.0.0.1"),
        ):
            answer = await worker._post(sub, "e1", b"{}", datetime.now(UTC))
    finally:
        await sender.aclose()
        await engine.dispose()
    assert answer.status == 200, answer
    assert [r.headers["host"] for r in checked.at("/hooks/a")] == [f"localhost:{port}"]
    assert resolved_later.received == []
