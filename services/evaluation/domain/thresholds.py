"""Grade thresholds (评估等级分数线), a locality's data: the proposed grade a score gives.

Each band is a lower bound: `at_least` (inclusive) or `more_than` (exclusive). A score below
every band gives no grade. DOMAIN.md (Rating, Scores) quotes two real sets, shipped as
data/thresholds/anqing-2021.json and luoyang-chanhe-2025.json.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from services.evaluation.domain.errors import InvalidFramework

Grade = Literal["1A", "2A", "3A", "4A", "5A"]
GRADES: tuple[Grade, ...] = ("5A", "4A", "3A", "2A", "1A")


@dataclass(frozen=True)
class Band:
    grade: Grade
    bound: float
    inclusive: bool  # at_least (True) or more_than (False)

    def admits(self, score: float) -> bool:
        return score >= self.bound if self.inclusive else score > self.bound


@dataclass(frozen=True)
class Thresholds:
    id: str
    bands: tuple[Band, ...]  # best grade first
    source: str = ""

    def grade_for(self, score: float) -> Grade | None:
        """The best grade whose bound the score reaches; none below the lowest band."""
        for band in self.bands:
            if band.admits(score):
                return band.grade
        return None


def thresholds_from(name: str, data: Mapping[str, Any]) -> Thresholds:
    """Thresholds from their file's JSON: 5A first, bounds strictly decreasing."""
    try:
        bands = tuple(_band(b) for b in data["bands"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidFramework(f"thresholds {name}: {exc!r}") from exc
    if tuple(b.grade for b in bands) != GRADES[: len(bands)] or not bands:
        raise InvalidFramework(f"thresholds {name}: bands must run 5A, 4A, … in order")
    if any(a.bound <= b.bound for a, b in pairwise(bands)):
        raise InvalidFramework(f"thresholds {name}: bounds must decrease with the grade")
    return Thresholds(name, bands, data.get("source", ""))


def _band(b: Mapping[str, Any]) -> Band:
    if b["grade"] not in GRADES:
        raise ValueError(f"no grade {b['grade']!r}")
    if ("at_least" in b) == ("more_than" in b):
        raise ValueError(f"{b['grade']}: give exactly one of at_least, more_than")
    inclusive = "at_least" in b
    return Band(b["grade"], float(b["at_least" if inclusive else "more_than"]), inclusive)
