"""Import columns of the credit lists (民政部令第60号): the fact "unreachable at the registered
address" and the bureau's listing and removal decisions, nested and in their flat CSV form.

The nested lists take the bodies of the REST routes (api/credit_schemas.py), dates required:
`unreachable: [{found_on, note}]`, `credit_listings: [{list, trigger, listed_on,
decision_number, basis}]`, `credit_removals: [{list, reason, delisted_on, decision_number}]`.
`list` is abnormal / serious, or 活动异常名录 / 严重违法失信名单. In CSV each is a numbered group
of columns: `unreachable_1` (the day found), `unreachable_note_1`; `credit_listing_1` (the
list), `credit_listing_trigger_1`, `credit_listing_on_1`, `credit_listing_number_1`,
`credit_listing_basis_1`; `credit_removal_1` (the list), `credit_removal_reason_1`,
`credit_removal_on_1`, `credit_removal_number_1`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from services.registry.app import commands as c
from services.registry.app.imports.numbered import Numbered
from services.registry.app.types import ActDate, LongText, ShortText
from shared.contracts.registry import CreditList, CreditRemoval, CreditTrigger

ListName = Literal["abnormal", "serious", "活动异常名录", "严重违法失信名单"]
LIST_OF: dict[str, CreditList] = {
    "abnormal": "abnormal",
    "活动异常名录": "abnormal",
    "serious": "serious",
    "严重违法失信名单": "serious",
}
UNREACHABLE_COLUMNS = Numbered(
    "unreachable", {"unreachable": "found_on", "unreachable_note": "note"}
)
LISTING_COLUMNS = Numbered(
    "credit_listings",
    {
        "credit_listing": "list",
        "credit_listing_trigger": "trigger",
        "credit_listing_on": "listed_on",
        "credit_listing_number": "decision_number",
        "credit_listing_basis": "basis",
    },
)
REMOVAL_COLUMNS = Numbered(
    "credit_removals",
    {
        "credit_removal": "list",
        "credit_removal_reason": "reason",
        "credit_removal_on": "delisted_on",
        "credit_removal_number": "decision_number",
    },
)


class UnreachableIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    found_on: ActDate
    note: LongText | None = None


class CreditListingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list: ListName
    trigger: CreditTrigger
    listed_on: ActDate
    decision_number: ShortText | None = None
    basis: LongText | None = None


class CreditRemovalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list: ListName
    reason: CreditRemoval
    delisted_on: ActDate
    decision_number: ShortText | None = None


def credit_commands(
    oid: str,
    unreachable: list[UnreachableIn],
    listings: list[CreditListingIn],
    removals: list[CreditRemovalIn],
) -> list[tuple[date, c.OnOrganization]]:
    """The facts and decisions as dated commands, as the REST routes make them."""
    out: list[tuple[date, c.OnOrganization]] = []
    for u in unreachable:
        out.append(
            (u.found_on, c.RecordUnreachable(organization_id=oid, found_on=u.found_on, note=u.note))
        )
    for li in listings:
        listing = c.ListOnCredit(
            organization_id=oid,
            list=LIST_OF[li.list],
            trigger=li.trigger,
            listed_on=li.listed_on,
            decision_number=li.decision_number,
            basis=li.basis,
        )
        out.append((li.listed_on, listing))
    for r in removals:
        removal = c.DelistFromCredit(
            organization_id=oid,
            list=LIST_OF[r.list],
            reason=r.reason,
            delisted_on=r.delisted_on,
            decision_number=r.decision_number,
        )
        out.append((r.delisted_on, removal))
    return out
