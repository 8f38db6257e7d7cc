"""Subscriptions of other government systems: created, changed (a new secret: both sign for the
rotation's overlap), removed, read; each its owner's (the API key's client), inside its area."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifier.adapters import subscriptions_sql
from services.notifier.app.urls import check_url
from services.notifier.app.webhook_config import WebhookConfig
from services.notifier.app.webhook_ports import Resolver
from services.notifier.domain.signing import key_of, new_secret
from shared.db import WRITE
from shared.http.keys import Client

_UNSET: Any = object()
COUNTY_DIGITS = 6  # events carry their organization's county (GB/T 2260, 6 digits)


class UnknownSubscription(LookupError):
    """No subscription of that id belongs to the caller."""


class OutsideArea(PermissionError):
    """A place outside the key's area."""


class AreaFinerThanCounty(PermissionError):
    """A key restricted to a street or community: events are filed by county, so a
    subscription of its area would receive nothing."""


@dataclass(frozen=True)
class CreateSubscription:
    url: str
    event_types: Sequence[str]
    place: str | None = None
    secret: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ChangeSubscription:
    url: str | None = None
    event_types: Sequence[str] | None = None
    place: str | None = field(default=_UNSET)  # None: everywhere the key covers
    description: str | None = field(default=_UNSET)
    active: bool | None = None
    rotate_secret: bool = False
    secret: str | None = None  # the new secret, when the caller brings its own


@dataclass
class Subscriptions:
    engine: AsyncEngine
    config: WebhookConfig
    resolver: Resolver

    async def create(self, client: Client, cmd: CreateSubscription) -> tuple[dict[str, Any], str]:
        """The new subscription's row, and its secret (shown this once)."""
        _county_or_wider(client)
        await check_url(cmd.url, self.config, self.resolver)
        secret = self._secret(cmd.secret)
        now = datetime.now(UTC)
        row = {
            "id": str(uuid.uuid4()),
            "owner": client.id,
            "url": cmd.url,
            "event_types": sorted(set(cmd.event_types)),
            "place": _place(client, cmd.place),
            "description": cmd.description,
            "secret": secret,
            "previous_secret": None,
            "previous_until": None,
            "active": True,
            "disabled_reason": None,
            "created_at": now,
            "updated_at": now,
        }
        async with self.engine.execution_options(**WRITE).begin() as conn:
            await subscriptions_sql.add(conn, row)
        return row, secret

    async def change(
        self, client: Client, sub_id: str, cmd: ChangeSubscription
    ) -> tuple[dict[str, Any], str | None]:
        """The changed row, and the new secret if one was made or given (shown this once)."""
        _county_or_wider(client)
        if cmd.url is not None:
            await check_url(cmd.url, self.config, self.resolver)
        now = datetime.now(UTC)
        values: dict[str, Any] = {"updated_at": now}
        if cmd.url is not None:
            values["url"] = cmd.url
        if cmd.event_types is not None:
            values["event_types"] = sorted(set(cmd.event_types))
        if cmd.place is not _UNSET:
            values["place"] = _place(client, cmd.place)
        if cmd.description is not _UNSET:
            values["description"] = cmd.description
        if cmd.active is not None:
            values["active"] = cmd.active
            values["disabled_reason"] = None if cmd.active else "disabled by its owner"
        secret = None
        if cmd.rotate_secret or cmd.secret is not None:
            secret = self._secret(cmd.secret)
        async with self.engine.execution_options(**WRITE).begin() as conn:
            row = await subscriptions_sql.row(conn, sub_id, client.id)
            if row is None:
                raise UnknownSubscription(sub_id)
            if secret is not None:  # the old one signs too, for the overlap
                values |= {
                    "secret": secret,
                    "previous_secret": row["secret"],
                    "previous_until": now + self.config.rotation_overlap,
                }
            await subscriptions_sql.change(conn, sub_id, values)
        return row | values, secret

    async def remove(self, client: Client, sub_id: str) -> None:
        async with self.engine.execution_options(**WRITE).begin() as conn:
            if await subscriptions_sql.row(conn, sub_id, client.id) is None:
                raise UnknownSubscription(sub_id)
            await subscriptions_sql.remove(conn, sub_id)

    async def get(self, client: Client, sub_id: str) -> dict[str, Any]:
        async with self.engine.connect() as conn:
            row = await subscriptions_sql.row(conn, sub_id, client.id)
        if row is None:
            raise UnknownSubscription(sub_id)
        return row

    async def find(self, client: Client, after: str | None, limit: int) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            return await subscriptions_sql.rows(conn, client.id, after, limit)

    @staticmethod
    def _secret(given: str | None) -> str:
        if given is None:
            return new_secret()
        key_of(given)  # BadSecret if it is not whsec_ + base64 of 24 to 64 bytes
        return given


def _county_or_wider(client: Client) -> None:
    if client.place is not None and len(client.place) > COUNTY_DIGITS:
        raise AreaFinerThanCounty(
            f"the key is restricted to {client.place}, a place finer than a county; NOTIFIER "
            "events are filed by county, so a subscription of this key would receive nothing: "
            "subscribe with a key of the county (or wider)"
        )


def _place(client: Client, place: str | None) -> str | None:
    """The place asked for, inside the key's area; none asked: the key's whole area."""
    if place is None:
        return client.place
    if not client.covers(place):
        raise OutsideArea(f"the key covers {client.place}; {place} lies outside it")
    return place
