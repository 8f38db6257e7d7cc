"""Credentials kept out of sight: URLs shown without their secrets, secret values scrubbed.

Database and NATS URLs carry passwords (`postgresql://user:pw@host/db`, `nats://user:pw@host`,
a NATS token `nats://token@host`, libpq's `?password=`). Whatever a service prints, serves or
logs shows such a URL only through `redact_url` (or `hosts` where only the address matters);
the log formatter also scrubs every secret value of the settings from each line, for the
messages of libraries that quote a URL themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from pydantic import SecretStr

REDACTED = "***"
# URL schemes whose user part alone is a secret: a NATS token (`nats://s3cr3t@host`).
_TOKEN_SCHEMES = frozenset({"nats", "tls", "ws", "wss"})
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)?(?P<userinfo>[^/?#]*)@(?P<rest>.*)$")
_SECRET_QUERY = re.compile(r"(?i)([?&](?:password|sslpassword|token|secret)=)([^&#]*)")
# Scrubbing a value this short would blank ordinary words out of every line.
MIN_SCRUBBED = 4


def _split(url: str) -> list[str]:
    return [u.strip() for u in url.split(",") if u.strip()]


def _parts(url: str) -> tuple[str, str | None, str | None, str]:
    """(scheme://, user, secret, the rest after '@') of one URL; user/secret None if absent."""
    m = _URL.match(url)
    if m is None:
        return "", None, None, url
    scheme, userinfo, rest = m["scheme"] or "", m["userinfo"], m["rest"]
    user, colon, password = userinfo.partition(":")
    if colon:
        return scheme, user, password, rest
    if scheme.removesuffix("://").lower() in _TOKEN_SCHEMES:
        return scheme, None, userinfo, rest
    return scheme, userinfo, None, rest


def redact_url(url: str) -> str:
    """The URL (or comma-separated URLs) with each password, token and `?password=` as ***."""
    out = []
    for one in _split(url):
        scheme, user, secret, rest = _parts(one)
        if user is None and secret is None:
            shown = one
        elif secret is None:
            shown = f"{scheme}{user}@{rest}"
        else:
            shown = f"{scheme}{user + ':' if user is not None else ''}{REDACTED}@{rest}"
        out.append(_SECRET_QUERY.sub(rf"\g<1>{REDACTED}", shown))
    return ",".join(out)


def hosts(url: str) -> list[str]:
    """`host:port` of each URL, with no user, password or token at all."""
    found = []
    for one in _split(url):
        _, _, _, rest = _parts(one)
        rest = rest.split("://", 1)[-1]
        found.append(re.split(r"[/?#]", rest, maxsplit=1)[0])
    return found


def url_secrets(url: str) -> set[str]:
    """The secret values inside a URL (as written and percent-decoded), to scrub from text."""
    found: set[str] = set()
    for one in _split(url):
        _, _, secret, _ = _parts(one)
        values = [secret] if secret else []
        values += [m[2] for m in _SECRET_QUERY.finditer(one) if m[2]]
        found |= {v for value in values for v in (value, unquote(value))}
    return found


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of each secret (long enough to tell apart) as ***."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_SCRUBBED:
            text = text.replace(secret, REDACTED)
    return text


class SecretUrl(SecretStr):
    """A URL holding credentials: shown (repr, str, logs) with its secrets as ***."""

    def _display(self) -> str:
        return redact_url(self.get_secret_value())


def secret_values(value: Any) -> set[str]:
    """What to scrub for one setting: a URL's passwords and tokens, a secret's whole value."""
    if isinstance(value, SecretUrl):
        return url_secrets(value.get_secret_value())
    if isinstance(value, SecretStr):
        return {value.get_secret_value()}
    return set()
