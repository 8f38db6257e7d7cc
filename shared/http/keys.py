"""API keys: random secrets shown once, stored as SHA-256 hashes, with scopes and a place.

The keys are 256-bit random tokens, not passwords, so a fast hash is the right tool: nobody
can brute-force the preimage, and every request can look the hash up by index.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import WRITE
from shared.places import is_place_code, within
from shared.tables import api_keys

KEY_PREFIX = "sok_"


@dataclass(frozen=True)
class Client:
    """The caller of a request: a government system holding an API key."""

    id: str
    name: str
    scopes: frozenset[str]
    place: str | None = None  # GB/T 2260 code of the area it may write; None = anywhere

    def has(self, scope: str) -> bool:
        service = scope.split(":", 1)[0]
        return bool({scope, f"{service}:*", "*"} & self.scopes)

    def covers(self, place_code: str) -> bool:
        """Whether a place (6, 9 or 12 digits) lies inside this client's area."""
        return self.place is None or within(place_code, self.place)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class KeyRecord:
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    place: str | None
    created_at: datetime
    revoked_at: datetime | None


class KeyStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def create(
        self, *, name: str, scopes: Iterable[str], place: str | None = None
    ) -> tuple[KeyRecord, str]:
        scopes = sorted(set(scopes))
        if not scopes:
            raise ValueError("a key needs at least one scope")
        if place is not None and not is_place_code(place):
            raise ValueError(f"place must be a 6, 9 or 12-digit code, got {place!r}")
        raw = KEY_PREFIX + secrets.token_urlsafe(32)
        rec = KeyRecord(uuid.uuid4(), name, raw[:12], scopes, place, datetime.now(UTC), None)
        async with self.engine.execution_options(**WRITE).begin() as conn:
            await conn.execute(
                insert(api_keys).values(
                    id=rec.id,
                    name=name,
                    key_hash=hash_key(raw),
                    prefix=rec.prefix,
                    scopes=scopes,
                    place=place,
                    created_at=rec.created_at,
                )
            )
        return rec, raw

    async def revoke(self, key_id: uuid.UUID) -> bool:
        async with self.engine.execution_options(**WRITE).begin() as conn:
            result = await conn.execute(
                update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
        return bool(result.rowcount)

    async def list(self) -> list[KeyRecord]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(api_keys).order_by(api_keys.c.created_at))).all()
        return [
            KeyRecord(r.id, r.name, r.prefix, r.scopes, r.place, r.created_at, r.revoked_at)
            for r in rows
        ]

    async def lookup(self, raw: str) -> Client | None:
        q = select(api_keys).where(
            api_keys.c.key_hash == hash_key(raw), api_keys.c.revoked_at.is_(None)
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(q)).first()
        if row is None:
            return None
        return Client(str(row.id), row.name, frozenset(row.scopes), row.place)
