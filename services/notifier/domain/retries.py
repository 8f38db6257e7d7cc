"""When a delivery is tried again: the schedule (Standard Webhooks' example by default), its
jitter, a receiver's `Retry-After`, and what an answer means for the delivery."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

# Delays before each attempt, in seconds: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
# 10 h (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/
# standard-webhooks.md, "Retry schedule"). Eight attempts over about 27 hours.
STANDARD_SCHEDULE: tuple[float, ...] = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)

Outcome = Literal["delivered", "retry", "dead", "gone"]


@dataclass(frozen=True)
class Next:
    """What follows an attempt: the delivery's outcome, and the wait before the next try."""

    outcome: Outcome
    delay: float | None = None


def jittered(delay: float, jitter: float, rng: random.Random) -> float:
    """`delay` moved by up to ±`jitter` of itself, so receivers that failed together are not
    all retried in the same second."""
    return max(0.0, delay * (1 + rng.uniform(-jitter, jitter)))


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a `Retry-After` header asks to wait (delta-seconds or an HTTP-date); None when
    absent or unreadable (RFC 9110 §10.2.3)."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def after_attempt(
    *,
    status: int | None,
    step: int,
    schedule: tuple[float, ...],
    jitter: float,
    asked: float | None,
    rng: random.Random,
) -> Next:
    """The outcome of attempt number `step` (1-based, in the current round) that got `status`
    (None: no answer). 2xx delivers; 410 Gone gives up on the subscription; otherwise the next
    step of the schedule, never sooner than a `Retry-After` asked (capped at the schedule's
    longest wait), or dead after the last step."""
    if status is not None and 200 <= status < 300:
        return Next("delivered")
    if status == 410:
        return Next("gone")
    if step >= len(schedule):
        return Next("dead")
    delay = jittered(schedule[step], jitter, rng)
    if asked is not None:
        delay = max(delay, min(asked, max(schedule)))
    return Next("retry", delay)
