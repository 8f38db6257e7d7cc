"""The retry schedule: Standard Webhooks' example by default, jitter within its bounds,
`Retry-After` honoured, and what each answer means for a delivery."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from services.notifier.domain.retries import (
    STANDARD_SCHEDULE,
    after_attempt,
    jittered,
    retry_after,
)
from services.notifier.settings import NotifierSettings

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def test_the_default_schedule_is_the_standard_webhooks_example() -> None:
    assert STANDARD_SCHEDULE == (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
    settings = NotifierSettings(database_url="sqlite:///unused.db")
    assert settings.webhooks().schedule == STANDARD_SCHEDULE
    short = NotifierSettings(database_url="sqlite:///unused.db", webhook_schedule="0,0.5,1")
    assert short.webhooks().schedule == (0, 0.5, 1)
    with pytest.raises(ValueError):
        NotifierSettings(database_url="sqlite:///unused.db", webhook_schedule="0,-5")


def test_jitter_stays_within_its_share_of_the_wait_and_varies() -> None:
    rng = random.Random(7)
    got = [jittered(300, 0.1, rng) for _ in range(2000)]
    assert all(270 <= g <= 330 for g in got)
    assert min(got) < 275 and max(got) > 325  # it spreads over the whole band
    assert jittered(0, 0.1, rng) == 0
    assert jittered(300, 0, rng) == 300


def _after(status: int | None, step: int, asked: float | None = None) -> tuple[str, float | None]:
    n = after_attempt(
        status=status,
        step=step,
        schedule=STANDARD_SCHEDULE,
        jitter=0.1,
        asked=asked,
        rng=random.Random(1),
    )
    return n.outcome, n.delay


def test_each_failed_attempt_waits_the_next_step_of_the_schedule() -> None:
    for step in range(1, len(STANDARD_SCHEDULE)):
        outcome, delay = _after(500, step)
        wait = STANDARD_SCHEDULE[step]
        assert outcome == "retry" and delay is not None
        assert wait * 0.9 <= delay <= wait * 1.1
    assert _after(None, 3)[0] == "retry"  # no answer (timeout) is retried too
    assert _after(500, len(STANDARD_SCHEDULE)) == ("dead", None)


def test_2xx_delivers_and_410_is_gone() -> None:
    assert _after(200, 1) == ("delivered", None)
    assert _after(204, 8) == ("delivered", None)
    assert _after(410, 1) == ("gone", None)
    assert _after(404, 1)[0] == "retry"
    assert _after(301, 1)[0] == "retry"  # a redirect is not followed, nor a success


def test_retry_after_is_never_undercut_and_is_capped_at_the_longest_wait() -> None:
    outcome, delay = _after(503, 1, asked=120)  # the schedule says 5 s
    assert outcome == "retry" and delay == 120
    _, delay = _after(429, 2, asked=1)  # the schedule's 5 min is longer
    assert delay is not None and delay >= 270
    _, delay = _after(503, 1, asked=10 * 86400)
    assert delay == max(STANDARD_SCHEDULE)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("120", NOW) == 120
    assert retry_after(" 0 ", NOW) == 0
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert retry_after(later, NOW) == 90
    earlier = format_datetime(NOW - timedelta(seconds=90), usegmt=True)
    assert retry_after(earlier, NOW) == 0
    assert retry_after(None, NOW) is None
    assert retry_after("soon", NOW) is None
    assert retry_after("-5", NOW) is None
