"""Events the notifier publishes to NOTIFIER."""

from __future__ import annotations

from datetime import date

from shared.contracts.base import EventData, contract


@contract("notifier", "zombie_flagged", 1, "僵尸型 candidate: consecutive missed reports")
class ZombieFlagged(EventData):
    organization_id: str
    as_of: date
    missed_years: list[int]


@contract("notifier", "zombie_cleared", 1, "the zombie flag cleared (late report or end)")
class ZombieCleared(EventData):
    organization_id: str
    as_of: date
    reason: str


@contract("notifier", "reminder_raised", 1, "a deadline reminder (inspection, rating expiry)")
class ReminderRaised(EventData):
    organization_id: str
    reminder: str
    due_on: date
