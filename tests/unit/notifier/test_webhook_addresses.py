"""The SSRF rule: loopback, link-local, private, unspecified (and IPv4 written as IPv6) refused
unless allowed; URLs checked through a resolver."""

from __future__ import annotations

import ipaddress

import pytest

from services.notifier.app.urls import UrlRefused, check_url
from services.notifier.app.webhook_config import WebhookConfig
from services.notifier.domain.addresses import Address, refusal
from services.notifier.settings import NotifierSettings, networks


def ip(text: str) -> Address:
    return ipaddress.ip_address(text)


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("::ffff:169.254.169.254", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:0a00:0001::1", "private"),  # 6to4 of 10.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("100.64.0.1", "not-global"),  # shared address space (carrier NAT)
        ("224.0.0.1", "multicast"),
    ],
)
def test_internal_addresses_are_refused(address: str, why: str) -> None:
    assert refusal(ip(address), allow_loopback=False) == why


@pytest.mark.parametrize("address", ["202.96.134.133", "2400:3200::1", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ip(address), allow_loopback=False) is None


def test_development_allows_loopback_only_and_configured_networks_allow_theirs() -> None:
    assert refusal(ip("127.0.0.1"), allow_loopback=True) is None
    assert refusal(ip("::1"), allow_loopback=True) is None
    assert refusal(ip("10.1.2.3"), allow_loopback=True) == "private"
    intranet = networks("10.20.0.0/16, fd00:1::/32")
    assert refusal(ip("10.20.3.4"), allow_loopback=False, allowed=intranet) is None
    assert refusal(ip("::ffff:10.20.3.4"), allow_loopback=False, allowed=intranet) is None
    assert refusal(ip("fd00:1::5"), allow_loopback=False, allowed=intranet) is None
    assert refusal(ip("10.21.0.1"), allow_loopback=False, allowed=intranet) == "private"


def test_production_refuses_loopback_development_allows_it() -> None:
    prod = NotifierSettings(
        mode="production", database_url="sqlite:///unused.db", nats_url="nats://n:4222"
    )
    assert not prod.webhooks().allow_loopback
    dev = NotifierSettings(database_url="sqlite:///unused.db")
    assert dev.webhooks().allow_loopback


class Names:
    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table

    async def addresses(self, host: str, port: int) -> list[Address]:
        if host not in self.table:
            raise OSError("unknown host")
        return [ip(a) for a in self.table[host]]


PRODUCTION = WebhookConfig(allow_loopback=False)


async def test_a_name_resolving_to_any_internal_address_is_refused() -> None:
    names = Names(
        {
            "hooks.example.gov.cn": ["202.96.134.133"],
            "sneaky.example.com": ["202.96.134.133", "10.0.0.7"],
            "localhost": ["127.0.0.1", "::1"],
        }
    )
    await check_url("https://hooks.example.gov.cn/socorg", PRODUCTION, names)
    for url in ("https://sneaky.example.com/x", "http://localhost:8080/x", "http://[::1]/x"):
        with pytest.raises(UrlRefused):
            await check_url(url, PRODUCTION, Names(names.table | {"::1": ["::1"]}))
    await check_url("http://localhost:8080/x", WebhookConfig(allow_loopback=True), names)
    for url in ("ftp://hooks.example.gov.cn/", "https://", "https://u:p@hooks.example.gov.cn/"):
        with pytest.raises(UrlRefused):
            await check_url(url, PRODUCTION, names)
    with pytest.raises(UrlRefused, match="does not resolve"):
        await check_url("https://nowhere.invalid/", PRODUCTION, names)
