"""Settings of the registry service: environment variables prefixed SOCORG_REGISTRY_."""

from datetime import date
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field
from pydantic_settings import SettingsConfigDict

from services.registry.adapters.places_file import DEFAULT_PLACES_FILE
from shared.rules.reporting import MonthDay, ReportingConfig
from shared.settings import ServiceSettings


def _real_day(text: str) -> str:
    month_day(text)
    return text


MonthDayText = Annotated[str, Field(pattern=r"^[0-9]{2}-[0-9]{2}$"), AfterValidator(_real_day)]


class RegistrySettings(ServiceSettings):
    service: ClassVar[str] = "registry"
    model_config = SettingsConfigDict(env_prefix="SOCORG_REGISTRY_", extra="ignore")

    port: int = 8001
    places_file: Path = Field(
        DEFAULT_PLACES_FILE,
        description="CSV of known places in the NBS format (services/registry/data/places.csv)",
    )
    zones_file: Path | None = Field(
        None,
        description="CSV of functional zones: code, name, parent_code, streets (space-separated); "
        "unset: the shipped services/registry/data/zones.csv with the shipped places",
    )

    # Annual reports (DOMAIN.md, Annual report): deadlines as MM-DD of year Y+1 for year Y.
    report_deadline_social_group: MonthDayText = Field(
        "05-31", description="社会团体登记管理条例 art. 28; 民政部令第27号 art. 4"
    )
    report_deadline_social_service_agency: MonthDayText = Field(
        "05-31", description="民办非企业单位登记管理暂行条例 art. 23; 民政部令第27号 art. 4"
    )
    report_deadline_foundation: MonthDayText = Field(
        "03-31", description="基金会年度检查办法 (民政部令第30号) art. 3"
    )
    report_deadline_charity: MonthDayText = Field(
        "03-31",
        description="民办函〔2024〕8号: every recognised charity, from its recognition year",
    )
    report_deadline_supervisory_review: MonthDayText = Field(
        "03-31", description="first review by the 业务主管单位, for organizations with one"
    )
    report_agency_exempt_within_months: int = Field(
        6,
        ge=0,
        le=12,
        description="民政部令第27号 art. 3: agencies registered this close to 31 Dec",
    )
    report_social_group_exempt_after: MonthDayText | None = Field(
        None, description="e.g. 06-30 (Shandong 鲁民函〔2021〕19号); unset: national practice"
    )

    def reporting(self) -> ReportingConfig:
        """The locality's annual-report rules (shared/rules/reporting.py)."""
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


def month_day(text: str) -> MonthDay:
    month, day = (int(part) for part in text.split("-"))
    date(2000, month, day)  # a real day (29 February allowed: 2000 is a leap year)
    return month, day
