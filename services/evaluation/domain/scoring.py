"""One score from several assessors' sheets (DOMAIN.md, Rating, Scores; docs/evaluation.md):
the mean by default; a round may choose the median, or the trimmed mean (the highest and the
lowest sheet dropped when there are at least three)."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean, median

from shared.contracts.evaluation import Aggregate


def aggregate(how: Aggregate, totals: Sequence[float]) -> float:
    """The application's score from its sheets' totals, rounded to 2 decimals."""
    if not totals:
        raise ValueError("no sheet to aggregate")
    if how == "median":
        return round(median(totals), 2)
    if how == "trimmed_mean" and len(totals) >= 3:
        return round(fmean(sorted(totals)[1:-1]), 2)
    return round(fmean(totals), 2)
