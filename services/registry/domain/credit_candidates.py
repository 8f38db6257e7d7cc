"""The credit-list candidates the register proposes as of a day from its own facts (民政部令第60号
arts. 13, 15, 17, 19): pure functions of an organization's state and a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from services.registry.domain.penalties import outstanding, rectification_overdue
from services.registry.domain.reporting import reporting_status
from services.registry.domain.state import OrganizationState
from shared.contracts.registry import (
    CreditList,
    CreditListed,
    CreditRemoval,
    CreditTrigger,
    PenaltyImposed,
)
from shared.rules.reporting import NATIONAL, ReportingConfig

LARGE_FINE_YUAN = 50_000  # 民政部令第60号 art. 17: 5万元以上罚款
LISTED_YEARS = 2  # art. 17 (abnormal → serious), art. 19 (serious: 2 clean years)
REPEAT_WINDOW_YEARS = 3  # art. 17: 3年内2次以上警告或不满5万元罚款


@dataclass(frozen=True)
class Candidate:
    """A listing or removal the register proposes for the bureau to decide."""

    action: str  # "list" or "remove"
    list: CreditList
    trigger: CreditTrigger | None = None
    reason: CreditRemoval | None = None
    basis: str | None = None


def years_later(day: date, years: int) -> date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def small_penalty(p: PenaltyImposed) -> bool:
    """A warning, or a fine under ¥50,000 (the abnormal list's penalty trigger)."""
    return p.penalty == "warning" or (
        p.penalty == "fine" and (p.amount_yuan or 0) < LARGE_FINE_YUAN
    )


def repeated_within(days: list[date], years: int) -> bool:
    """Two or more days within `years` of each other."""
    ordered = sorted(days)
    return any(later < years_later(earlier, years) for earlier, later in pairwise(ordered))


def candidates(
    org: OrganizationState, day: date, config: ReportingConfig = NATIONAL
) -> list[Candidate]:
    """What the register proposes for `org` on `day`: listings its facts call for and removals
    its facts allow (facts dated after the last removal from that list, and by `day`)."""
    if not org.is_legal_person or org.started_on is None:
        return []
    out: list[Candidate] = []
    if org.status != "deregistered":
        out += _abnormal(org, day, config)
        out += _serious(org, day)
    out += _removals(org, day, config)
    return out


def _since(org: OrganizationState, list: str) -> date | None:
    removal = org.credit_removals.get(list)
    return removal.delisted_on if removal else None


def _new(fact_on: date, since: date | None, day: date) -> bool:
    return fact_on <= day and (since is None or fact_on > since)


def _abnormal(org: OrganizationState, day: date, config: ReportingConfig) -> list[Candidate]:
    listed = org.credit_listings.get("abnormal")
    if listed is not None or "serious" in org.credit_listings:
        return []
    since = _since(org, "abnormal")
    out: list[Candidate] = []
    standing = reporting_status(org, day, config)
    if standing is not None and standing.overdue:
        years = ", ".join(str(y) for y in standing.overdue)
        out.append(
            Candidate("list", "abnormal", "report_not_filed", basis=f"annual report {years}")
        )
    for d in org.disposals:
        if rectification_overdue(d, org.rectified.get(d.ordered_on), day) and _new(
            d.due_on, since, day
        ):
            out.append(
                Candidate(
                    "list",
                    "abnormal",
                    "rectification_not_completed",
                    basis=f"限期整改 of {d.ordered_on}",
                )
            )
    for found in org.unreachable_on:
        if _new(found, since, day):
            out.append(
                Candidate("list", "abnormal", "unreachable_at_address", basis=f"found {found}")
            )
            break
    for number, p in org.penalties.items():
        if small_penalty(p) and _new(p.decided_on, since, day):
            out.append(Candidate("list", "abnormal", "warning_or_small_fine", basis=number))
    return out


def _serious(org: OrganizationState, day: date) -> list[Candidate]:
    if "serious" in org.credit_listings:
        return []
    since = _since(org, "serious")
    out: list[Candidate] = []
    abnormal = org.credit_listings.get("abnormal")
    if abnormal is not None and years_later(abnormal.listed_on, LISTED_YEARS) <= day:
        out.append(
            Candidate("list", "serious", "abnormal_two_years", basis=f"listed {abnormal.listed_on}")
        )
    if org.revocation is not None and _new(org.revocation.revoked_on, since, day):
        out.append(
            Candidate("list", "serious", "registration_revoked", basis=org.revocation.reason)
        )
    small: list[date] = []
    for number, p in org.penalties.items():
        if not _new(p.decided_on, since, day):
            continue
        if p.penalty == "fine" and (p.amount_yuan or 0) >= LARGE_FINE_YUAN:
            out.append(Candidate("list", "serious", "large_fine", basis=number))
        elif p.penalty == "suspension":
            out.append(Candidate("list", "serious", "suspension", basis=number))
        elif small_penalty(p):
            small.append(p.decided_on)
    if repeated_within(small, REPEAT_WINDOW_YEARS):
        out.append(Candidate("list", "serious", "repeated_penalties"))
    return out


def _removals(org: OrganizationState, day: date, config: ReportingConfig) -> list[Candidate]:
    out: list[Candidate] = []
    abnormal = org.credit_listings.get("abnormal")
    if (
        abnormal is not None
        and org.status != "deregistered"
        and _fulfilled(org, abnormal, day, config)
    ):
        out.append(Candidate("remove", "abnormal", reason="obligation_fulfilled"))
    serious = org.credit_listings.get("serious")
    if serious is None:
        return out
    if serious.trigger == "registration_revoked":
        if org.status == "deregistered":
            out.append(Candidate("remove", "serious", reason="deregistered"))
    elif org.status != "deregistered" and _clean_since(org, serious.listed_on, day):
        out.append(Candidate("remove", "serious", reason="clean_two_years"))
    return out


def _fulfilled(
    org: OrganizationState, listing: CreditListed, day: date, config: ReportingConfig
) -> bool:
    """Whether the obligation behind an abnormal listing is met on `day` (art. 15)."""
    match listing.trigger:
        case "report_not_filed":
            standing = reporting_status(org, day, config)
            return standing is not None and not standing.overdue
        case "rectification_not_completed":
            return all(
                (done := org.rectified.get(d.ordered_on)) is not None and done <= day
                for d in org.disposals
                if d.ordered_on <= listing.listed_on
            )
        case "warning_or_small_fine":
            return all(
                not outstanding(p, org.penalties_carried_out.get(n), day)
                for n, p in org.penalties.items()
                if small_penalty(p) and p.decided_on <= listing.listed_on
            )
    return False  # unreachable: the bureau finds it again and decides


def _clean_since(org: OrganizationState, listed_on: date, day: date) -> bool:
    """Two years on the serious list with no new penalty or abnormal listing since (art. 19)."""
    if years_later(listed_on, LISTED_YEARS) > day:
        return False
    return not any(listed_on < p.decided_on <= day for p in org.penalties.values())
