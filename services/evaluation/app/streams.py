"""The evaluation's streams in its event store, and the one codec its events go through."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from shared.clock import SHANGHAI
from shared.eventstore.codec import EventCodec

# Evaluation events occur at the start of their act's date in Asia/Shanghai.
CODEC = EventCodec("evaluation", SHANGHAI)
INVESTIGATIONS = "investigations-"  # one stream per organization: its 立案调查
ROUNDS = "rounds-"  # one stream per round: announced, closed
APPLICATIONS = "applications-"  # one stream per application: submitted … confirmed
REACTIONS = "rating-changes-"  # one stream per reaction to a registry fact: raised, decided
EXPIRIES = "expiries-"  # one stream per organization: its grades recorded as expired
FOLLOW_UPS = "follow-ups-"  # one stream per authority and year: its 跟踪评估 draw


def end_of(day: date) -> datetime:
    """The last instant of a civil date in Asia/Shanghai: the inclusive `as_of` bound."""
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI) - timedelta(microseconds=1)
