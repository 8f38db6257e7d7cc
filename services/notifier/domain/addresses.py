"""Which addresses a webhook may be sent to (SSRF): never the service's own host or network
unless configured, whatever name the URL gives."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def plain(address: Address) -> Address:
    """An IPv4 address written as IPv6 (::ffff:a.b.c.d, or 6to4 / NAT64 forms) as itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in ipaddress.IPv6Network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal(
    address: Address, *, allow_loopback: bool, allowed: Iterable[Network] = ()
) -> str | None:
    """Why a webhook may not go to `address` (None: it may). Loopback, link-local, private,
    unspecified, multicast and reserved addresses are refused unless a configured network
    holds them (loopback: also when `allow_loopback`, in development)."""
    ip = plain(address)
    if any(ip.version == n.version and ip in n for n in allowed):
        return None
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    for kind in ("unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:  # shared (100.64/10), documentation ranges, …
        return "not-global"
    return None
