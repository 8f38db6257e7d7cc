"""跟踪评估 (2026 revision): a share of the organizations holding 4A or 5A drawn at random for a
follow-up evaluation — 民政部门可以按照一定比例抽选评估等级在4A及以上的社会组织,对其进行跟踪
评估 (DOMAIN.md, Rating: Downgrade/cancel; the revision names no share: a locality setting).

The draw is reproducible by anyone from what its event records: each candidate is ranked by
SHA-256 of `"<seed>:<organization_id>"` (hex, ascending) and the first ⌈share × candidates⌉ are
drawn. The rank of an organization depends on the seed and its own id only, not on the order
the candidates were read in or on the language that recomputes it.

Each organization drawn is a follow_up case (domain/rating_change.py) that the bureau closes
with its result: the draw's event counts them, each case is its own event, so the draw's size
does not grow with the number drawn.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.evaluation.domain.errors import InvalidShare
from services.evaluation.domain.record import Record
from services.evaluation.domain.rule import Context
from services.evaluation.domain.standing import held_grade
from services.evaluation.domain.thresholds import Grade
from shared.contracts.evaluation import FollowUpDrawn, FollowUpTrace, RatingChangeProposed

FOLLOW_UP_GRADES: tuple[Grade, ...] = ("4A", "5A")  # 评估等级在4A及以上
# 按照一定比例: the revision names no share; this default is a locality setting
# (SOCORG_EVALUATION_FOLLOW_UP_SHARE), not a number of the revision's.
DEFAULT_SHARE = Decimal("0.1")
RULE = "follow_up_draw"  # the rule a follow_up case names
NAMESPACE = uuid.UUID("5d1c9e2a-7b3f-4a60-8e4d-2f6a9c0b1e73")  # of the follow_up cases' ids


@dataclass(frozen=True)
class Candidate:
    """An organization holding 4A or 5A on the day, and that grade's decision and validity."""

    organization_id: str
    grade: Grade
    decided_on: date
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class Draw:
    """A draw's events: follow_up_drawn, and the follow_up case of each organization drawn, in
    the order of their rank."""

    drawn: FollowUpDrawn
    opened: list[RatingChangeProposed]


def candidate(record: Record, on: date) -> Candidate | None:
    """The organization as a candidate on `on`: a grade of 4A or above in force (the latest
    decision by the day, not expired), and not deregistered or in liquidation by then."""
    for day in (record.ended_on, record.revoked_on):
        if day is not None and day <= on:
            return None
    held = held_grade(Context(record, on))
    if held is None or held.grade not in FOLLOW_UP_GRADES:
        return None
    return Candidate(
        record.organization_id, held.grade, held.decided_on, held.valid_from, held.valid_until
    )


def drawn_count(share: Decimal, candidates: int) -> int:
    """⌈share × candidates⌉: a share above 0 of a non-empty set draws at least one."""
    if not Decimal(0) < share <= Decimal(1):
        raise InvalidShare(f"the share drawn is a fraction above 0 and at most 1, not {share}")
    return math.ceil(share * candidates)


def rank(seed: int, organization_id: str) -> str:
    return hashlib.sha256(f"{seed}:{organization_id}".encode()).hexdigest()


def draw(candidates: Iterable[Candidate], share: Decimal, seed: int) -> list[Candidate]:
    """The candidates drawn, in the order of their rank under `seed`."""
    found = list(candidates)
    ranked = sorted(found, key=lambda c: (rank(seed, c.organization_id), c.organization_id))
    return ranked[: drawn_count(share, len(found))]


def draw_id(authority: str, year: int) -> str:
    """The authority's draw of the year: one a year (its stream, and its cases' `draw`)."""
    return f"{authority}-{year}"


def case_id(authority: str, year: int, organization_id: str) -> str:
    """The follow_up case of an organization in the authority's draw of the year: one id, so
    the store refuses to open it twice (its stream starts at version 0)."""
    return uuid.uuid5(NAMESPACE, f"{draw_id(authority, year)}/{organization_id}").hex


def made(
    authority: str,
    on: date,
    drawn_on: date,
    share: Decimal,
    seed: int,
    candidates: Sequence[Candidate],
) -> Draw:
    """The authority's draw of the year of `on` among `candidates`, and its cases."""
    picks = draw(candidates, share, seed)
    event = FollowUpDrawn(
        authority=authority,
        year=on.year,
        on=on,
        drawn_on=drawn_on,
        seed=seed,
        share=share,
        candidates=len(candidates),
        picked=len(picks),
    )
    return Draw(event, [opened(event, i, p) for i, p in enumerate(picks, 1)])


def opened(d: FollowUpDrawn, rank: int, pick: Candidate) -> RatingChangeProposed:
    """The follow_up case of the organization drawn at `rank`: its trigger is the draw."""
    return RatingChangeProposed(
        reaction_id=case_id(d.authority, d.year, pick.organization_id),
        organization_id=pick.organization_id,
        kind="follow_up",
        rule=RULE,
        fact=(
            f"跟踪评估 draw of {d.authority} for {d.year} (seed {d.seed}, share {d.share}): "
            f"rank {rank} of {d.picked} drawn among {d.candidates} holding 4A or 5A on {d.on}"
        ),
        raised_on=d.drawn_on,
        grade=pick.grade,
        decided_on=pick.decided_on,
        valid_from=pick.valid_from,
        valid_until=pick.valid_until,
        follow_up=FollowUpTrace(authority=d.authority, year=d.year, seed=d.seed, rank=rank),
    )
