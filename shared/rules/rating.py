"""等级评估 rules as small functions of dates: the regime of a decision, the validity it gives,
and when an organization may be rated at all (DOMAIN.md, Rating).

Two regimes: 《社会组织评估管理办法》 (民政部令第39号, in force 2011-03-01) for decisions before
2026-03-01, and its 2026 revision from that day. The decision date chooses.
"""

from __future__ import annotations

from datetime import date, timedelta

from shared.contracts.registry import RatingRegime

Regime = RatingRegime

REVISION_IN_FORCE = date(2026, 3, 1)  # the 2026 revision of 《社会组织评估管理办法》
VALID_YEARS = 5  # 39号 art. 28; the 2026 revision keeps five (calendar) years
YEARS_REGISTERED = 2  # 39号 art. 6: 取得登记证书满两个年度


def regime_of(decided_on: date) -> Regime:
    """The regime that governs a decision: the revision from 2026-03-01, 39号 before."""
    return "revision_2026" if decided_on >= REVISION_IN_FORCE else "mca_order_39"


def regime_validity(regime: Regime, decided_on: date, announced_on: date) -> tuple[date, date]:
    """The validity (first and last day, inclusive) the regime gives a grade.

    39号 art. 28: 评估等级有效期为5年, counted from the decision: its last day is the day
    before the fifth anniversary. The 2026 revision: from 1 January of the year after the
    result is announced to 31 December of the fifth year.
    """
    if regime == "mca_order_39":
        return decided_on, years_after(decided_on, VALID_YEARS) - timedelta(days=1)
    return date(announced_on.year + 1, 1, 1), date(announced_on.year + VALID_YEARS, 12, 31)


def rateable_from(registered_on: date) -> date:
    """The first day an organization may be graded: two full years after its registration
    certificate (39号 art. 6 取得登记证书满两个年度; the 2026 revision keeps it)."""
    return years_after(registered_on, YEARS_REGISTERED)


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
