"""The daily scan's next run (Asia/Shanghai), the settings behind the rule, the events of flags."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from pydantic import ValidationError

from services.notifier.domain.flags import ZOMBIE, FlagChange, stream_of
from services.notifier.domain.zombie import MissedYear
from services.notifier.settings import NotifierSettings
from shared.clock import SHANGHAI
from shared.contracts.base import contract_of
from shared.contracts.notifier import ZombieCleared, ZombieFlagged, ZombieSignalRaised
from shared.schedule import next_run


def test_the_next_run_is_today_before_the_time_and_tomorrow_after_it() -> None:
    six = time(6, 0)
    before = datetime(2025, 5, 31, 21, 0, tzinfo=UTC)  # 05:00 on 1 June in Shanghai
    assert next_run(before, six) == datetime(2025, 6, 1, 6, 0, tzinfo=SHANGHAI)
    at = datetime(2025, 6, 1, 6, 0, tzinfo=SHANGHAI)
    assert next_run(at, six) == datetime(2025, 6, 2, 6, 0, tzinfo=SHANGHAI)
    assert next_run(at, six).date() == date(2025, 6, 2)  # the scan of that day


def test_settings_build_the_rule_and_refuse_impossible_days() -> None:
    s = NotifierSettings(
        zombie_consecutive_years=3,
        zombie_community_deadline="06-30",
        report_social_group_exempt_after="06-30",
        scan_daily_at="07:30",
    )
    config = s.zombie()
    assert config.consecutive_years == 3 and config.community_deadline == (6, 30)
    assert config.reporting.social_group_exempt_after == (6, 30)
    assert s.scan_time == time(7, 30)
    assert NotifierSettings().zombie().consecutive_years == 2
    for bad in ({"zombie_community_deadline": "02-30"}, {"scan_daily_at": "25:00"}):
        with pytest.raises(ValidationError):
            NotifierSettings(**bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        NotifierSettings(zombie_consecutive_years=0)


def test_flag_changes_are_the_notifier_events_with_their_act_date() -> None:
    missed = (MissedYear(2023, date(2024, 5, 31)), MissedYear(2024, date(2025, 5, 31)))
    on = date(2025, 6, 1)
    raised = FlagChange("o1", ZOMBIE, "420106", on, True, missed, date(2025, 6, 1), 2).event()
    assert isinstance(raised, ZombieFlagged) and raised.missed_years == [2023, 2024]
    assert raised.missed[1].deadline == date(2025, 5, 31)
    cleared = FlagChange("o1", ZOMBIE, "420106", on, False, reason="ended").event()
    assert isinstance(cleared, ZombieCleared) and cleared.reason == "ended"
    signal = FlagChange("o1", "no_report_since_registration", "420106", on, True).event()
    assert isinstance(signal, ZombieSignalRaised)
    for event in (raised, cleared, signal):
        assert contract_of(event).act_date(event) == on
    assert stream_of(ZOMBIE, "o1") == "zombie-o1"
