"""Eligibility to apply for a rating (等级评估) on a day: every bar of the regime in force, with
the locality's switches on top; a refusal names every bar that failed and its facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from services.evaluation.domain.record import Record, Regime
from services.evaluation.domain.rule import Context
from services.evaluation.domain.rules import BY_NAME, RULES
from shared.rules.rating import REVISION_IN_FORCE, regime_of
from shared.rules.reporting import NATIONAL, ReportingConfig

__all__ = ["REVISION_IN_FORCE", "Eligibility", "LocalitySwitches", "RuleResult", "eligibility"]


class UnknownRule(ValueError):
    """A locality switch names no rule, or one that cannot be switched."""


@dataclass(frozen=True)
class LocalitySwitches:
    """Bars a locality adds to a regime that does not have them (`on`), or drops (`off`)."""

    on: frozenset[str] = frozenset()
    off: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if unknown := sorted((self.on | self.off) - BY_NAME.keys()):
            raise UnknownRule(f"no eligibility rule {', '.join(unknown)}")
        if fixed := sorted(n for n in self.off if not BY_NAME[n].switchable):
            raise UnknownRule(f"{', '.join(fixed)} always applies: it cannot be switched off")
        if both := sorted(self.on & self.off):
            raise UnknownRule(f"{', '.join(both)} switched both on and off")


NO_SWITCHES = LocalitySwitches()


@dataclass(frozen=True)
class RuleResult:
    """One rule on the day: whether it bars under this regime and locality, and its answer."""

    rule: str
    regimes: tuple[Regime, ...]
    source: str
    applies: bool
    passed: bool
    facts: tuple[str, ...]
    switched: Literal["on", "off"] | None = None

    @property
    def bars(self) -> bool:
        return self.applies and not self.passed


@dataclass(frozen=True)
class Eligibility:
    organization_id: str
    on: date
    regime: Regime
    results: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.bars)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every failing rule with its facts, e.g. `inspection_missing: no 2025 report`."""
        return tuple(f"{r.rule}: {'; '.join(r.facts)}" for r in self.failed)


def regime_on(day: date) -> Regime:
    """The regime in force on a day: the 2026 revision from 2026-03-01, 39号 before."""
    return regime_of(day)


def eligibility(
    record: Record,
    on: date,
    regime: Regime,
    locality_switches: LocalitySwitches = NO_SWITCHES,
    reporting: ReportingConfig = NATIONAL,
) -> Eligibility:
    """Every rule evaluated on `record` as things stood on `on`, under `regime`."""
    ctx = Context(record, on, reporting)
    results = []
    for rule in RULES:
        switched: Literal["on", "off"] | None = None
        applies = regime in rule.regimes
        if rule.name in locality_switches.off:
            applies, switched = False, "off"
        elif rule.name in locality_switches.on and not applies:
            applies, switched = True, "on"
        ok, facts = rule.check(ctx)
        regimes = tuple(sorted(rule.regimes))
        results.append(RuleResult(rule.name, regimes, rule.source, applies, ok, facts, switched))
    return Eligibility(record.organization_id, on, regime, tuple(results))
