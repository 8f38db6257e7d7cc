"""Where registry events sit in time: each carries the date of the act it records.

An event's `occurred_at` is the start (00:00, Asia/Shanghai) of its act's date — the
registration, filing, change, report or decision date — not the moment it was recorded. An
`as_of` read of day D folds the events whose `occurred_at` falls on or before D, i.e. every act
dated D or earlier *as the register knows it now* (an act recorded late still counts from its
own date). `recorded_at` keeps when the registry learned of it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from services.registry.app.errors import DateOutOfRange
from shared.clock import SHANGHAI
from shared.contracts import contract_of
from shared.contracts.registry import RegistryEvent


def act_date(event: RegistryEvent) -> date:
    """The civil date of the act an event records (declared on its contract)."""
    return contract_of(event).act_date(event)


def start_of(day: date) -> datetime:
    """00:00 of a civil date in Asia/Shanghai, as an aware timestamp."""
    return datetime.combine(day, time(), SHANGHAI)


def end_of(day: date) -> datetime:
    """The last instant of a civil date in Asia/Shanghai (the `as_of` bound, inclusive)."""
    try:
        return start_of(day + timedelta(days=1)) - timedelta(microseconds=1)
    except OverflowError:  # 9999-12-31 has no next day: the calendar ends there
        raise DateOutOfRange(f"{day} is past the last date the register can bound") from None
