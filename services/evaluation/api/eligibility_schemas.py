"""Bodies of the eligibility read (XRead), with the example the OpenAPI shows."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.evaluation.domain.eligibility import Eligibility, RuleResult
from services.evaluation.domain.record import Regime

EXAMPLE: dict[str, Any] = {
    "organization_id": "3f2b9c0a7d6e4f1a8b5c2d9e0f1a2b3c",
    "on": "2026-07-01",
    "regime": "revision_2026",
    "eligible": False,
    "reasons": ["inspection_missing: no 2025 report"],
    "rules": [
        {
            "rule": "registered_under_two_years",
            "regimes": ["mca_order_39", "revision_2026"],
            "source": "39号 art. 6 取得登记证书满两个年度; kept by the 2026 revision",
            "applies": True,
            "passed": True,
            "facts": ["registered on 2020-05-01: two full years on 2022-05-01"],
            "switched": None,
        },
        {
            "rule": "inspection_missing",
            "regimes": ["mca_order_39", "revision_2026"],
            "source": "39号 art. 7: 上年度未参加年检; kept by the 2026 revision",
            "applies": True,
            "passed": False,
            "facts": ["no 2025 report"],
            "switched": None,
        },
        {
            "rule": "under_investigation",
            "regimes": ["mca_order_39"],
            "source": "39号 art. 7: 正在被有关政府部门或司法机关立案调查",
            "applies": False,
            "passed": False,
            "facts": ["立案调查 武公立〔2026〕7号 opened on 2026-05-10, not closed"],
            "switched": None,
        },
    ],
}


class RuleRead(BaseModel):
    rule: str = Field(description="the bar's name (docs/evaluation.md, Rules)")
    regimes: list[Regime] = Field(description="the regimes it bars under")
    source: str = Field(description="the clause it encodes")
    applies: bool = Field(description="it bars on this day: its regime's, or switched on")
    passed: bool
    facts: list[str] = Field(description="what the answer rests on")
    switched: Literal["on", "off"] | None = Field(None, description="by the locality's settings")

    @classmethod
    def of(cls, r: RuleResult) -> RuleRead:
        return cls(
            rule=r.rule,
            regimes=list(r.regimes),
            source=r.source,
            applies=r.applies,
            passed=r.passed,
            facts=list(r.facts),
            switched=r.switched,
        )


class EligibilityRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    organization_id: str
    on: date = Field(description="the day judged (Asia/Shanghai)")
    regime: Regime = Field(description="in force that day: revision_2026 from 2026-03-01")
    eligible: bool
    reasons: list[str] = Field(description="every failing rule with its facts; empty if eligible")
    rules: list[RuleRead] = Field(description="every rule, barring or not, in a fixed order")

    @classmethod
    def of(cls, e: Eligibility) -> EligibilityRead:
        return cls(
            organization_id=e.organization_id,
            on=e.on,
            regime=e.regime,
            eligible=e.eligible,
            reasons=list(e.reasons),
            rules=[RuleRead.of(r) for r in e.results],
        )
