"""跟踪评估 (2026 revision): a share of the organizations holding 4A or 5A drawn at random for a
follow-up evaluation — 民政部门可以按照一定比例抽选评估等级在4A及以上的社会组织,对其进行跟踪
评估 (DOMAIN.md, Rating: Downgrade/cancel; the revision names no share: a locality setting).

The draw is reproducible by anyone from what its event records: each candidate is ranked by
SHA-256 of `"<seed>:<organization_id>"` (hex, ascending) and the first ⌈share × candidates⌉ are
drawn. The rank of an organization depends on the seed and its own id only, not on the order
the candidates were read in or on the language that recomputes it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.evaluation.domain.errors import InvalidShare
from services.evaluation.domain.record import Record
from services.evaluation.domain.rule import Context
from services.evaluation.domain.standing import held_grade
from services.evaluation.domain.thresholds import Grade

FOLLOW_UP_GRADES: tuple[Grade, ...] = ("4A", "5A")  # 评估等级在4A及以上
# 按照一定比例: the revision names no share; this default is a locality setting
# (SOCORG_EVALUATION_FOLLOW_UP_SHARE), not a number of the revision's.
DEFAULT_SHARE = Decimal("0.1")


@dataclass(frozen=True)
class Candidate:
    """An organization holding 4A or 5A on the day, and that grade's decision."""

    organization_id: str
    grade: Grade
    decided_on: date


def candidate(record: Record, on: date) -> Candidate | None:
    """The organization as a candidate on `on`: a grade of 4A or above in force (the latest
    decision by the day, not expired), and not deregistered or in liquidation by then."""
    for day in (record.ended_on, record.revoked_on):
        if day is not None and day <= on:
            return None
    held = held_grade(Context(record, on))
    if held is None or held.grade not in FOLLOW_UP_GRADES:
        return None
    return Candidate(record.organization_id, held.grade, held.decided_on)


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
