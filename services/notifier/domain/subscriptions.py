"""A subscription of another government system to the notifier's events: which events reach
it (types, place) and which secrets sign them (two during a rotation's overlap)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from shared.places import within


@dataclass(frozen=True)
class Subscription:
    id: str
    owner: str  # the id of the API key's client that created it
    url: str
    event_types: tuple[str, ...]
    place: str | None  # a GB/T 2260 code; None: everywhere
    secret: str
    previous_secret: str | None = None
    previous_until: datetime | None = None  # the old secret signs too until then
    active: bool = True

    def wants(self, event_type: str, division: str | None) -> bool:
        """Whether an event of this type, filed under this county, is delivered here."""
        if not self.active or event_type not in self.event_types:
            return False
        return self.place is None or (division is not None and within(division, self.place))

    def signing_secrets(self, now: datetime) -> list[str]:
        """The current secret, and the previous one while the rotation's overlap lasts."""
        old = self.previous_secret
        if old is not None and self.previous_until is not None and now < self.previous_until:
            return [self.secret, old]
        return [self.secret]


def matching(
    subscriptions: Collection[Subscription], event_type: str, division: str | None
) -> list[Subscription]:
    return [s for s in subscriptions if s.wants(event_type, division)]
