"""Bars on how an organization has behaved: last year's inspection, penalties, investigations,
credit lists — each judged on the facts known on the day asked about."""

from __future__ import annotations

from services.evaluation.domain.record import Inspection, Penalty
from services.evaluation.domain.rule import Context, Outcome, failed, passed
from shared.rules.reporting import (
    LEGAL_PERSON_KINDS,
    Reporter,
    latest_year_past_deadline,
    required,
)

CONCLUSION = {"qualified": "合格", "basically_qualified": "基本合格", "unqualified": "不合格"}
LIST_NAME = {"abnormal": "活动异常名录", "serious": "严重违法失信名单"}


def reporter(ctx: Context) -> Reporter:
    r = ctx.record
    filed = {y: d for y, d in r.reports.items() if d <= ctx.on}
    ended = r.revoked_on or r.ended_on
    return Reporter(r.kind, r.registered_on, r.charity_since, ended, filed)


def inspection_year(ctx: Context) -> int:
    """ "Last year" of the inspection: the year before the day if its report is already filed,
    else the latest year whose deadline has passed (before 31 May, a social group's last
    inspection is the year before last: its latest report is not due yet)."""
    org = reporter(ctx)
    if ctx.on.year - 1 in org.filed:
        return ctx.on.year - 1
    return latest_year_past_deadline(ctx.on, org, ctx.reporting)


def inspection_missing(ctx: Context) -> Outcome:
    if ctx.record.kind not in LEGAL_PERSON_KINDS:
        return passed("files no annual report")
    org, year = reporter(ctx), inspection_year(ctx)
    if not required(year, org, ctx.reporting):
        return passed(f"no {year} report required")
    day = org.filed.get(year)
    return passed(f"{year} report submitted on {day}") if day else failed(f"no {year} report")


def _concluded(ctx: Context) -> dict[int, Inspection]:
    return {y: i for y, i in ctx.record.inspections.items() if i.concluded_on <= ctx.on}


def _last_concluded(ctx: Context) -> int | None:
    """The year of last year's inspection if concluded, else the year before it."""
    if ctx.record.kind not in LEGAL_PERSON_KINDS:
        return None
    year, known = inspection_year(ctx), _concluded(ctx)
    return year if year in known else year - 1


def _said(year: int, i: Inspection | None) -> str:
    if i is None:
        return f"{year} inspection: no conclusion"
    return f"{year} inspection: {CONCLUSION[i.conclusion]} (concluded on {i.concluded_on})"


def inspection_unqualified(ctx: Context) -> Outcome:
    year = _last_concluded(ctx)
    if year is None:
        return passed("files no annual report")
    i = _concluded(ctx).get(year)
    fact = _said(year, i)
    return failed(fact) if i and i.conclusion == "unqualified" else passed(fact)


def basically_qualified_twice(ctx: Context) -> Outcome:
    year = _last_concluded(ctx)
    if year is None:
        return passed("files no annual report")
    known = _concluded(ctx)
    pair = [known.get(year - 1), known.get(year)]
    facts = (_said(year - 1, pair[0]), _said(year, pair[1]))
    twice = all(i and i.conclusion == "basically_qualified" for i in pair)
    return failed(*facts) if twice else passed(*facts)


def _barring(ctx: Context, minor: bool) -> tuple[list[str], int]:
    """Penalties (minor ones or the others) decided last year or not carried out by the day."""
    last_year, out = ctx.on.year - 1, []
    for p in ctx.record.penalties:
        if p.minor != minor or p.decided_on > ctx.on:
            continue
        done = p.carried_out_on is not None and p.carried_out_on <= ctx.on
        if not done:
            out.append(f"{_penalty(p)}, not carried out")
        elif p.decided_on.year == last_year:
            out.append(f"{_penalty(p)} in {last_year}, carried out on {p.carried_out_on}")
    return out, last_year


def _penalty(p: Penalty) -> str:
    minor = " (轻微)" if p.minor else ""
    return f"{p.penalty}{minor} {p.decision_number} decided on {p.decided_on}"


def penalty(ctx: Context) -> Outcome:
    found, year = _barring(ctx, minor=False)
    return failed(*found) if found else passed(f"no penalty in {year} and none outstanding")


def minor_penalty(ctx: Context) -> Outcome:
    found, year = _barring(ctx, minor=True)
    return failed(*found) if found else passed(f"no minor penalty in {year} and none outstanding")


def under_investigation(ctx: Context) -> Outcome:
    open_ = [
        f"立案调查 {i.reference} opened on {i.opened_on}, not closed"
        for i in ctx.record.investigations
        if i.opened_on <= ctx.on and (i.closed_on is None or i.closed_on > ctx.on)
    ]
    return failed(*open_) if open_ else passed("no investigation in progress")


def credit_listed(ctx: Context) -> Outcome:
    on_lists = [
        f"on the {e.list} list ({LIST_NAME.get(e.list, e.list)}) since {e.listed_on} ({e.trigger})"
        for e in ctx.record.credit
        if e.listed_on <= ctx.on and (e.removed_on is None or e.removed_on > ctx.on)
    ]
    return failed(*on_lists) if on_lists else passed("on no credit list")
