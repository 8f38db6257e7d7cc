"""The steps after the committee's decision, as the regime of the round gives them, and the
day arithmetic of their windows (DOMAIN.md, Rating, Process)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from services.evaluation.domain.errors import SimplifiedVisitNotAllowed
from services.evaluation.domain.record import Record, Regime
from services.evaluation.domain.rule import Context
from services.evaluation.domain.standing import held_grade
from shared.rules.rating import years_after

# 公示 length is local: Wuhan 2020 used 15 days (DOMAIN.md, Rating, Process); the default.
PUBLICITY_DAYS = 15
# 39号 arts. 20, 23: the 复核 decision within 15 days of the objection.
REVIEW_DAYS = 15
# 2026 revision: within the first 2 years of a grade the site visit may be simplified.
SIMPLIFIED_VISIT_YEARS = 2

ReviewBody = Literal["review_committee", "evaluation_committee"]


@dataclass(frozen=True)
class Process:
    """What the regime provides after the decision: who decides a 复核 (39号 art. 20: the
    复核委员会; the 2026 revision abolishes it and its work passes to the 评估委员会), and
    whether a re-evaluation of a grade in force exists (the revision only)."""

    regime: Regime
    review_by: ReviewBody
    re_evaluation: bool


PROCESSES: dict[Regime, Process] = {
    "mca_order_39": Process("mca_order_39", "review_committee", re_evaluation=False),
    "revision_2026": Process("revision_2026", "evaluation_committee", re_evaluation=True),
}


def publicity_ends(published_on: date, days: int) -> date:
    """The last day of a 公示 of `days` days that starts on `published_on` (counted in)."""
    return published_on + timedelta(days=days - 1)


def review_due(lodged_on: date, days: int) -> date:
    """The last day the 复核 decision on an objection lodged on `lodged_on` may be recorded."""
    return lodged_on + timedelta(days=days)


def simplified_visit_until(record: Record, on: date) -> date | None:
    """The last day of the first 2 years of the grade `record` holds on `on` (a grade decided
    but not yet in force counts), or None if it holds none."""
    grade = held_grade(Context(record, on))
    if grade is None:
        return None
    start = grade.valid_from or grade.decided_on
    return years_after(start, SIMPLIFIED_VISIT_YEARS) - timedelta(days=1)


@dataclass(frozen=True)
class SiteVisit:
    """An application's site visit: a re-evaluation of a grade in force, and the simplified
    visit the 2026 revision allows within the grade's first 2 years."""

    re_evaluation: bool
    simplified_site_visit: bool


def site_visit(record: Record, regime: Regime, day: date, asked: bool) -> SiteVisit:
    """The visit of an application submitted on `day` in a round of `regime`; asking for the
    simplified one where it is not allowed is refused."""
    until = simplified_visit_until(record, day)
    allowed = PROCESSES[regime].re_evaluation and until is not None and day <= until
    if asked and not allowed:
        why = "no grade in force" if until is None else f"its first 2 years ended {until}"
        raise SimplifiedVisitNotAllowed(
            f"the simplified site visit is for re-evaluations under the 2026 revision within "
            f"the first 2 years of a grade ({regime}; {why})"
        )
    return SiteVisit(re_evaluation=until is not None, simplified_site_visit=asked)
