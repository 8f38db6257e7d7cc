"""Settings of the notifier service: environment variables prefixed SOCORG_NOTIFIER_."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field
from pydantic_settings import SettingsConfigDict

from services.notifier.app.webhook_config import WebhookConfig
from services.notifier.domain.addresses import Network
from services.notifier.domain.reminders import ReminderConfig
from services.notifier.domain.retries import STANDARD_SCHEDULE
from services.notifier.domain.zombie import ZombieConfig
from shared.rules.reporting import MonthDay, ReportingConfig
from shared.settings import ServiceSettings


def month_day(text: str) -> MonthDay:
    month, day = (int(part) for part in text.split("-"))
    date(2000, month, day)  # a real day (29 February allowed: 2000 is a leap year)
    return month, day


def _real_day(text: str) -> str:
    month_day(text)
    return text


def _clock_time(text: str) -> str:
    time.fromisoformat(text)
    return text


def schedule(text: str) -> tuple[float, ...]:
    """Seconds before each attempt, comma-separated: `0,5,300` is three attempts."""
    steps = tuple(float(part) for part in text.split(","))
    if not steps or any(step < 0 for step in steps):
        raise ValueError("a schedule is one or more waits of 0 seconds or more")
    return steps


def networks(text: str) -> tuple[Network, ...]:
    """CIDR networks, comma-separated (an address alone is a network of one)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return tuple(ipaddress.ip_network(p, strict=False) for p in parts)


def _valid(parse: Callable[[str], object]) -> Callable[[str], str]:
    def check(text: str) -> str:
        parse(text)
        return text

    return check


MonthDayText = Annotated[str, Field(pattern=r"^[0-9]{2}-[0-9]{2}$"), AfterValidator(_real_day)]
ClockTime = Annotated[str, Field(pattern=r"^[0-9]{2}:[0-9]{2}$"), AfterValidator(_clock_time)]


class NotifierSettings(ServiceSettings):
    service: ClassVar[str] = "notifier"
    model_config = SettingsConfigDict(env_prefix="SOCORG_NOTIFIER_", extra="ignore")

    port: int = 8004

    # The zombie rule (DOMAIN.md, Zombie; Ya'an plan §二(四): 连续2年以上).
    zombie_consecutive_years: int = Field(
        2, ge=1, le=10, description="consecutive missed required years that make a candidate"
    )
    zombie_community_deadline: MonthDayText | None = Field(
        None,
        description="MM-DD: count community organizations, with this deadline; unset: they "
        "are out (they file no annual report with the registration authority)",
    )
    scan_enabled: bool = Field(
        True,
        description="run the daily scan (zombies, reminders) in this process; with several "
        "replicas, one scans (a lease in the database)",
    )
    scan_daily_at: ClockTime = Field(
        "06:00", description="HH:MM, Asia/Shanghai: when the daily scan runs, for that day"
    )

    # Reminders (docs/notifier.md, Reminders): how many days ahead each one comes.
    reminder_report_days_before: int = Field(
        30, ge=0, le=180, description="days before an annual report's deadline"
    )
    reminder_rating_days_before: int = Field(
        90, ge=0, le=366, description="days before a grade's last day in force"
    )
    reminder_rectification_days_before: int = Field(
        14, ge=0, le=180, description="days before a 限期整改's due date"
    )

    # Webhooks (docs/notifier.md, Webhooks).
    webhook_enabled: bool = Field(
        True, description="run the webhook delivery worker in this process (one sends at a time)"
    )
    webhook_schedule: Annotated[str, AfterValidator(_valid(schedule))] = Field(
        ",".join(f"{s:g}" for s in STANDARD_SCHEDULE),
        description="seconds before each attempt, comma-separated; the last attempt failed, "
        "the delivery is dead (default: Standard Webhooks' example schedule)",
    )
    webhook_jitter: float = Field(
        0.1, ge=0, le=1, description="each wait moved at random by up to this share of itself"
    )
    webhook_timeout_seconds: float = Field(10.0, gt=0, le=300, description="per attempt")
    webhook_rotation_overlap_hours: float = Field(
        24.0, ge=0, description="after a secret rotation, how long the old secret signs too"
    )
    webhook_allowed_networks: Annotated[str, AfterValidator(_valid(networks))] = Field(
        "",
        description="CIDR networks, comma-separated, webhooks may go to although they are "
        "private, loopback or link-local (e.g. a government intranet)",
    )
    webhook_poll_seconds: float = Field(
        1.0, gt=0, le=60, description="how often the worker looks for due deliveries"
    )
    webhook_concurrency: int = Field(16, ge=1, le=256, description="deliveries sent at once")

    # The annual-report rules of the locality: the same values as the registry's settings.
    report_deadline_social_group: MonthDayText = "05-31"
    report_deadline_social_service_agency: MonthDayText = "05-31"
    report_deadline_foundation: MonthDayText = "03-31"
    report_deadline_charity: MonthDayText = "03-31"
    report_deadline_supervisory_review: MonthDayText = "03-31"
    report_agency_exempt_within_months: int = Field(6, ge=0, le=12)
    report_social_group_exempt_after: MonthDayText | None = None

    def reporting(self) -> ReportingConfig:
        exempt = self.report_social_group_exempt_after
        return ReportingConfig(
            social_group_deadline=month_day(self.report_deadline_social_group),
            social_service_agency_deadline=month_day(self.report_deadline_social_service_agency),
            foundation_deadline=month_day(self.report_deadline_foundation),
            charity_deadline=month_day(self.report_deadline_charity),
            supervisory_review_deadline=month_day(self.report_deadline_supervisory_review),
            agency_exempt_within_months=self.report_agency_exempt_within_months,
            social_group_exempt_after=month_day(exempt) if exempt is not None else None,
        )

    def zombie(self) -> ZombieConfig:
        """The zombie rule's settings (services/notifier/domain/zombie.py)."""
        community = self.zombie_community_deadline
        return ZombieConfig(
            consecutive_years=self.zombie_consecutive_years,
            community_deadline=month_day(community) if community is not None else None,
            reporting=self.reporting(),
        )

    def reminders(self) -> ReminderConfig:
        """How many days ahead the reminders come (services/notifier/domain/reminders.py)."""
        return ReminderConfig(
            report_days_before=self.reminder_report_days_before,
            rating_days_before=self.reminder_rating_days_before,
            rectification_days_before=self.reminder_rectification_days_before,
        )

    def webhooks(self) -> WebhookConfig:
        """How webhooks are sent (services/notifier/app/webhook_config.py). Development mode
        allows loopback receivers; production refuses them unless a network allows them."""
        return WebhookConfig(
            schedule=schedule(self.webhook_schedule),
            jitter=self.webhook_jitter,
            timeout=self.webhook_timeout_seconds,
            rotation_overlap=timedelta(hours=self.webhook_rotation_overlap_hours),
            allow_loopback=self.mode == "development",
            allowed_networks=networks(self.webhook_allowed_networks),
            poll=self.webhook_poll_seconds,
            concurrency=self.webhook_concurrency,
        )

    @property
    def scan_time(self) -> time:
        return time.fromisoformat(self.scan_daily_at)
