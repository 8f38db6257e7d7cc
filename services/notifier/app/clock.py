"""The Clock port: "today" and now in Asia/Shanghai, injectable so tests pick the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def today(self) -> date: ...


class ShanghaiClock:
    def today(self) -> date:
        return datetime.now(SHANGHAI).date()


@dataclass
class FixedClock:
    day: date

    def today(self) -> date:
        return self.day
