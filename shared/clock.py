"""The Clock port: "today" as a civil date in Asia/Shanghai, injectable so tests pick the day
(every service: the bureaus' dates are civil dates there, ARCHITECTURE.md §4, Time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def today(self) -> date: ...


class ShanghaiClock:
    """The real clock: today's date where the bureaus are (ARCHITECTURE.md §4, Time)."""

    def today(self) -> date:
        return datetime.now(SHANGHAI).date()


@dataclass
class FixedClock:
    """A clock stopped on one day (tests, scans run "as of" a date)."""

    day: date

    def today(self) -> date:
        return self.day
