"""One bar of eligibility: a named check of a record on a day, with its regimes and source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from services.evaluation.domain.record import Record, Regime
from shared.rules.reporting import NATIONAL, ReportingConfig

BOTH: frozenset[Regime] = frozenset({"mca_order_39", "revision_2026"})
ORDER_39: frozenset[Regime] = frozenset({"mca_order_39"})
REVISION: frozenset[Regime] = frozenset({"revision_2026"})


@dataclass(frozen=True)
class Context:
    """What every check reads: the record, the day asked about, the locality's report rules."""

    record: Record
    on: date
    reporting: ReportingConfig = NATIONAL


Outcome = tuple[bool, tuple[str, ...]]  # passed, and the facts behind the answer
Check = Callable[[Context], Outcome]


@dataclass(frozen=True)
class Rule:
    """A bar: `check` passes or fails with facts; it bars under `regimes` (and where a locality
    switches it on), unless a locality switches it off (`switchable` rules only)."""

    name: str
    regimes: frozenset[Regime]
    source: str  # the clause it encodes (DOMAIN.md, Rating)
    check: Check
    switchable: bool = True


def passed(*facts: str) -> Outcome:
    return True, facts


def failed(*facts: str) -> Outcome:
    return False, facts
