"""Import columns of 行政处罚: the nested `penalties` list, and its flat CSV form.

In CSV each penalty is a numbered group of columns (`penalty_1` = warning / fine /
suspension / confiscation (or 警告 / 罚款 / 限期停止活动 / 没收), `penalty_number_1`,
`penalty_on_1`, `penalty_amount_1`, `penalty_minor_1`, `penalty_from_1`, `penalty_until_1`,
`penalty_reason_1`, `penalty_carried_out_1`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.registry.app import commands as c
from services.registry.app.imports.numbered import Numbered
from services.registry.app.types import ActDate, LongText, ShortText

PenaltyName = Literal[
    "warning", "fine", "suspension", "confiscation", "警告", "罚款", "限期停止活动", "没收"
]
PENALTY_OF: dict[str, str] = {
    "警告": "warning",
    "罚款": "fine",
    "限期停止活动": "suspension",
    "没收": "confiscation",
}
PENALTY_COLUMNS = Numbered(
    "penalties",
    {
        "penalty": "penalty",
        "penalty_number": "decision_number",
        "penalty_on": "decided_on",
        "penalty_amount": "amount_yuan",
        "penalty_minor": "minor",
        "penalty_from": "suspended_from",
        "penalty_until": "suspended_until",
        "penalty_reason": "reason",
        "penalty_carried_out": "carried_out_on",
    },
)


class PenaltyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    penalty: PenaltyName
    decision_number: ShortText
    decided_on: ActDate
    minor: bool = False
    amount_yuan: Annotated[int, Field(ge=1, le=10**15)] | None = None
    suspended_from: ActDate | None = None
    suspended_until: date | None = None
    reason: LongText | None = None
    carried_out_on: ActDate | None = None


def penalty_commands(oid: str, penalties: list[PenaltyIn]) -> list[tuple[date, c.OnOrganization]]:
    """Each penalty, and its execution if on file, as dated commands."""
    out: list[tuple[date, c.OnOrganization]] = []
    for p in penalties:
        out.append(
            (
                p.decided_on,
                c.ImposePenalty(
                    organization_id=oid,
                    penalty=PENALTY_OF.get(p.penalty, p.penalty),
                    decision_number=p.decision_number,
                    decided_on=p.decided_on,
                    minor=p.minor,
                    amount_yuan=p.amount_yuan,
                    suspended_from=p.suspended_from,
                    suspended_until=p.suspended_until,
                    reason=p.reason,
                ),
            )
        )
        if (done := p.carried_out_on) is not None:
            out.append(
                (
                    done,
                    c.RecordPenaltyCarriedOut(
                        organization_id=oid,
                        decision_number=p.decision_number,
                        carried_out_on=done,
                    ),
                )
            )
    return out
