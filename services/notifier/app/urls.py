"""The SSRF check of a webhook URL: http(s), and every address its host resolves to allowed."""

from __future__ import annotations

from urllib.parse import urlsplit

from services.notifier.app.webhook_config import WebhookConfig
from services.notifier.app.webhook_ports import Resolver
from services.notifier.domain.addresses import Address, refusal


class UrlRefused(ValueError):
    """A URL webhooks may not be sent to, and why."""


async def check_url(url: str, config: WebhookConfig, resolver: Resolver) -> Address:
    """Refuse a URL whose host is, or resolves to, an address the rule refuses (UrlRefused);
    else the address to connect to (the first found: every one passed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlRefused("a webhook URL is http:// or https:// with a host")
    if parts.username or parts.password:
        raise UrlRefused("a webhook URL carries no credentials; the signature authenticates")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UrlRefused("the URL's port is not a number from 0 to 65535") from None
    try:
        found = await resolver.addresses(parts.hostname, port)
    except OSError as exc:
        raise UrlRefused(f"the host {parts.hostname!r} does not resolve: {exc}") from None
    if not found:
        raise UrlRefused(f"the host {parts.hostname!r} has no address")
    for address in found:
        why = refusal(
            address, allow_loopback=config.allow_loopback, allowed=config.allowed_networks
        )
        if why is not None:
            raise UrlRefused(
                f"{parts.hostname} resolves to {address}, a {why} address; webhooks go only to "
                "public addresses or to networks listed in WEBHOOK_ALLOWED_NETWORKS"
            )
    return found[0]
