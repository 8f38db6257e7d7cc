"""Settings of the evaluation service: environment variables prefixed SOCORG_EVALUATION_."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import ClassVar, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from services.evaluation.app.registry_recorder import RecorderConfig
from services.evaluation.app.round_handlers import Defaults
from services.evaluation.domain.eligibility import LocalitySwitches
from services.evaluation.domain.follow_up import DEFAULT_SHARE
from services.evaluation.domain.process import PUBLICITY_DAYS, REVIEW_DAYS
from shared.settings import ServiceSettings


def _names(text: str) -> frozenset[str]:
    return frozenset(n.strip() for n in text.split(",") if n.strip())


class EvaluationSettings(ServiceSettings):
    service: ClassVar[str] = "evaluation"
    model_config = SettingsConfigDict(env_prefix="SOCORG_EVALUATION_", extra="ignore")

    port: int = 8002

    # The locality's switches on the eligibility bars (DOMAIN.md, Rating: "locality switches
    # on top"); rule names as in docs/evaluation.md, comma-separated.
    eligibility_rules_on: str = Field(
        "", description="bars added to a regime that does not have them, e.g. minor_penalty"
    )
    eligibility_rules_off: str = Field(
        "",
        description="bars dropped, e.g. credit_listed (community_org, ended and "
        "in_liquidation always apply)",
    )

    # The grading workflow's locality defaults (a round may name its own; docs/evaluation.md).
    framework: str = Field(
        "default-v1", description="indicator framework file (services/evaluation/data/frameworks)"
    )
    thresholds: str = Field(
        "anqing-2021", description="grade thresholds file (services/evaluation/data/thresholds)"
    )
    publicity_days: int = Field(
        PUBLICITY_DAYS, ge=1, le=90, description="公示 period in days (Wuhan 2020: 15)"
    )
    review_days: int = Field(
        REVIEW_DAYS, ge=1, le=90, description="days to record a 复核 decision (39号 arts. 20, 23)"
    )

    # Recording grades on the registry (docs/evaluation.md, The grade on the registry).
    registry_url: str = Field(
        "http://127.0.0.1:8001", description="the registry's base URL (its PUT …/rating)"
    )
    registry_public_url: str | None = Field(
        None,
        description="the registry's URL as the public reaches it, for the 公示's links to "
        "organizations (default: registry_url)",
    )
    registry_api_key: SecretStr | None = Field(
        None,
        description="the evaluation's own registry key (scope registry:rate); a Secret in "
        "production, where it is required; development falls back to the dev key",
    )
    registry_sender_enabled: bool = Field(
        True, description="run the sender of ratings in this process (one sends at a time)"
    )
    registry_retry_initial_seconds: float = Field(
        1.0, gt=0, le=3600, description="wait before the second attempt; doubling after"
    )
    registry_retry_longest_seconds: float = Field(
        300.0, gt=0, le=86400, description="the longest wait between attempts"
    )
    registry_poll_seconds: float = Field(1.0, gt=0, le=60, description="look for due records")
    registry_timeout_seconds: float = Field(10.0, gt=0, le=300, description="per attempt")

    # Expiry (docs/evaluation.md, Reactions): the daily scan of grades whose validity ended.
    expiry_scan_enabled: bool = Field(
        True, description="run the daily expiry scan in this process (one replica in production)"
    )
    expiry_scan_daily_at: str = Field(
        "05:30", pattern=r"^[0-9]{2}:[0-9]{2}$", description="HH:MM, Asia/Shanghai"
    )

    # 跟踪评估 (2026 revision; docs/evaluation.md, Follow-up draws): the share drawn.
    follow_up_share: Decimal = Field(
        DEFAULT_SHARE,
        gt=0,
        le=1,
        max_digits=5,
        decimal_places=4,
        description="share of the 4A-and-above organizations drawn for 跟踪评估 (the revision "
        "says 按照一定比例 and names none)",
    )

    @property
    def expiry_time(self) -> time:
        return time.fromisoformat(self.expiry_scan_daily_at)

    @model_validator(mode="after")
    def _known_rules(self) -> Self:
        self.switches()  # an unknown or fixed rule stops the service at start
        time.fromisoformat(self.expiry_scan_daily_at)  # a real time of day
        if self.mode == "production" and self.registry_api_key is None:
            raise ValueError("SOCORG_EVALUATION_REGISTRY_API_KEY is required in production")
        return self

    def registry_key(self) -> str:
        """The key the sender presents to the registry: its own, or in development the dev key."""
        if self.registry_api_key is not None:
            return self.registry_api_key.get_secret_value()
        key = self.effective_dev_key
        assert key is not None  # production requires registry_api_key (checked above)
        return key

    def recorder(self) -> RecorderConfig:
        return RecorderConfig(
            retry_initial=self.registry_retry_initial_seconds,
            retry_longest=self.registry_retry_longest_seconds,
            poll=self.registry_poll_seconds,
        )

    def defaults(self) -> Defaults:
        return Defaults(self.framework, self.thresholds, self.publicity_days, self.review_days)

    def switches(self) -> LocalitySwitches:
        return LocalitySwitches(
            on=_names(self.eligibility_rules_on), off=_names(self.eligibility_rules_off)
        )
