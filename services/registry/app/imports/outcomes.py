"""What becomes of an import row: created, updated, unchanged, or an error with its reason.

Each row's planned events are compared with what its stream already holds: the same (or
less) is `unchanged`, more on top of the same start is appended (`updated`), anything else
is an error, never a rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from services.registry.app.imports.plan import Planned

Applied = Literal["created", "updated", "unchanged"]
Stored = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class RowError:
    row: int
    identifier: str | None
    problem: str
    detail: str


Outcome = Applied | RowError


class BatchFailed(Exception):
    """A batch's transaction failed as a whole (a concurrent writer took an identifier or moved
    a stream meanwhile, or the database gave up on it): its rows are to be tried one by one."""


def compare(p: Planned, existing: Stored) -> tuple[Outcome, int | None]:
    """The row's outcome against its stream, and the version its new events start from."""
    planned = p.stored
    n = len(existing)
    if existing[: len(planned)] == planned:
        return "unchanged", None
    if planned[:n] == existing:
        return ("created" if n == 0 else "updated"), n
    return error(
        p,
        "differs-from-register",
        f"the register holds other facts for this organization (version {n}); an import "
        "adds later facts but never rewrites: use the organization's commands",
    ), None


def error(p: Planned, problem: str, detail: str) -> RowError:
    return RowError(p.row, p.identifier, problem, detail)
