"""Settings of the evaluation service: environment variables prefixed SOCORG_EVALUATION_."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from services.evaluation.app.round_handlers import Defaults
from services.evaluation.domain.eligibility import LocalitySwitches
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

    @model_validator(mode="after")
    def _known_rules(self) -> Self:
        self.switches()  # an unknown or fixed rule stops the service at start
        return self

    def defaults(self) -> Defaults:
        return Defaults(self.framework, self.thresholds, self.publicity_days, self.review_days)

    def switches(self) -> LocalitySwitches:
        return LocalitySwitches(
            on=_names(self.eligibility_rules_on), off=_names(self.eligibility_rules_off)
        )
