"""The ports the webhooks need: a sender of one HTTP POST and a resolver of host names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from services.notifier.domain.addresses import Address

EXCERPT_BYTES = 1024  # of a receiver's answer, kept in the delivery log


@dataclass(frozen=True)
class Answer:
    """What one POST got: a status (None: no answer, `error` says why), the `Retry-After`
    header, the first KiB of the body, and how long it took."""

    status: int | None
    latency_ms: int
    error: str | None = None
    retry_after: str | None = None
    excerpt: str | None = None


class WebhookSender(Protocol):
    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], within: float, *, to: Address
    ) -> Answer:
        """POST to `url`, connecting to `to` (the address its host passed the check with)."""
        ...


class Resolver(Protocol):
    async def addresses(self, host: str, port: int) -> list[Address]: ...
