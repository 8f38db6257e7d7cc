"""Bars on what an organization is: its kind, its end, its age, the grade it holds."""

from __future__ import annotations

from datetime import timedelta

from services.evaluation.domain.record import Rating
from services.evaluation.domain.rule import Context, Outcome, failed, passed
from shared.rules.rating import rateable_from, years_after

REEVALUATION_YEARS = 4  # 2026 revision: 在评估等级有效期的前4年内可以申请重新评估


def community_org(ctx: Context) -> Outcome:
    if ctx.record.kind == "community_org":
        return failed("a community organization (社区社会组织) is filed, not registered")
    return passed(f"a registered {ctx.record.kind}")


def ended(ctx: Context) -> Outcome:
    day = ctx.record.ended_on
    if day is not None and day <= ctx.on:
        return failed(f"deregistered (注销) on {day}")
    return passed("not deregistered")


def in_liquidation(ctx: Context) -> Outcome:
    day, by = ctx.record.revoked_on, ctx.record.revoked_by
    if day is not None and day <= ctx.on:
        return failed(f"in liquidation since {day} ({by or 'revoked'})")
    return passed("not revoked")


def registered_under_two_years(ctx: Context) -> Outcome:
    start = ctx.record.registered_on
    first = rateable_from(start)
    fact = f"registered on {start}: two full years on {first}"
    return passed(fact) if ctx.on >= first else failed(fact)


def held_grade(ctx: Context) -> Rating | None:
    """The latest decision by the day, if it left a grade that has not expired by then."""
    latest = None
    for r in ctx.record.ratings:
        if r.decided_on <= ctx.on:
            latest = r
    if latest is None or latest.grade is None:
        return None
    if latest.valid_until is not None and latest.valid_until < ctx.on:
        return None
    return latest


def _never_or_expired(ctx: Context) -> str:
    decided = [r for r in ctx.record.ratings if r.decided_on <= ctx.on]
    if not decided:
        return "never rated"
    last = decided[-1]
    if last.grade is None:
        return f"grade cancelled on {last.decided_on}"
    return f"{last.grade} expired after {last.valid_until}"


def _validity(r: Rating) -> str:
    return f"{r.grade} decided on {r.decided_on}, valid {r.valid_from} – {r.valid_until}"


def grade_still_valid(ctx: Context) -> Outcome:
    """39号 art. 6: never rated, or the grade has reached the end of its validity."""
    r = held_grade(ctx)
    return passed(_never_or_expired(ctx)) if r is None else failed(_validity(r))


def grade_past_four_years(ctx: Context) -> Outcome:
    """2026 revision: re-evaluation during the first 4 years of a grade's validity."""
    r = held_grade(ctx)
    if r is None:
        return passed(_never_or_expired(ctx))
    start = r.valid_from or r.decided_on
    last = years_after(start, REEVALUATION_YEARS) - timedelta(days=1)
    if ctx.on <= last:
        return passed(_validity(r), f"within its first 4 years (until {last}): re-evaluation")
    return failed(_validity(r), f"past its first 4 years (they ended on {last})")
