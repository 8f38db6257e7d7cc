"""Import of the credit lists: the numbered CSV columns, the row schema, and the commands a
row plans in date order (民政部令第60号)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.registry.adapters.places_file import load_places
from services.registry.app.imports.csv_columns import flatten, nest
from services.registry.app.imports.plan import plan
from services.registry.app.imports.rows import RowInvalid, parse_row
from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from tests.unit.registry.builders import GROUP_CODE

PLACES = load_places()
TODAY = date(2025, 6, 15)


def row(**later: Any) -> dict[str, Any]:
    return {
        "kind": "social_group",
        "credit_code": GROUP_CODE,
        "name": "武汉市软件行业协会",
        "level": "city",
        "domicile": "420106001",
        "registered_on": "2020-05-01",
        **later,
    }


def without(d: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in d.items() if k != key}


LISTING = {"list": "abnormal", "trigger": "unreachable_at_address", "listed_on": "2024-07-01"}
CSV_CELLS = {
    "unreachable_1": "2024-06-20",
    "unreachable_note_1": "住所无人",
    "credit_listing_1": "活动异常名录",
    "credit_listing_trigger_1": "unreachable_at_address",
    "credit_listing_on_1": "2024-07-01",
    "credit_listing_number_1": "武民异〔2024〕1号",
    "credit_listing_basis_1": "",
    "credit_removal_1": "活动异常名录",
    "credit_removal_reason_1": "obligation_fulfilled",
    "credit_removal_on_1": "2024-12-01",
}


def test_numbered_credit_columns_nest_into_the_three_lists() -> None:
    nested = nest({k: str(v) for k, v in row().items()} | CSV_CELLS)
    assert nested["unreachable"] == [{"found_on": "2024-06-20", "note": "住所无人"}]
    assert nested["credit_listings"] == [
        {
            "list": "活动异常名录",
            "trigger": "unreachable_at_address",
            "listed_on": "2024-07-01",
            "decision_number": "武民异〔2024〕1号",
        }
    ]
    assert nested["credit_removals"] == [
        {"list": "活动异常名录", "reason": "obligation_fulfilled", "delisted_on": "2024-12-01"}
    ]
    assert nest(flatten(nested)) == nested


def test_groups_are_read_in_number_order_and_penalties_still_nest() -> None:
    cells = {
        "credit_listing_2": "serious",
        "credit_listing_trigger_2": "large_fine",
        "credit_listing_on_2": "2024-08-01",
        "credit_listing_10": "abnormal",
        "credit_listing_trigger_10": "report_not_filed",
        "credit_listing_on_10": "2024-09-01",
        "penalty_1": "罚款",
        "penalty_on_1": "2024-05-01",
    }
    nested = nest(cells)
    assert [li["list"] for li in nested["credit_listings"]] == ["serious", "abnormal"]
    assert nested["penalties"] == [{"penalty": "罚款", "decided_on": "2024-05-01"}]


def test_chinese_list_names_plan_the_same_events_as_english_ones() -> None:
    chinese = parse_row(nest({k: str(v) for k, v in row().items()} | CSV_CELLS))
    english = parse_row(
        row(
            unreachable=[{"found_on": "2024-06-20", "note": "住所无人"}],
            credit_listings=[{**LISTING, "decision_number": "武民异〔2024〕1号"}],
            credit_removals=[
                {"list": "abnormal", "reason": "obligation_fulfilled", "delisted_on": "2024-12-01"}
            ],
        )
    )
    planned = plan(1, chinese, places=PLACES, today=TODAY)
    assert planned.stored == plan(1, english, places=PLACES, today=TODAY).stored
    assert [(t, d.get("list")) for t, d in planned.stored] == [
        ("organization_registered", None),
        ("unreachable_recorded", None),
        ("credit_listed", "abnormal"),
        ("credit_delisted", "abnormal"),
    ]
    assert planned.organization.credit_listings == {}


@pytest.mark.parametrize(
    ("listing", "field", "message"),
    [
        (
            {**LISTING, "list": "黑名单"},
            "credit_listings.0.list",
            "Input should be 'abnormal', 'serious', '活动异常名录' or '严重违法失信名单'",
        ),
        (without(LISTING, "trigger"), "credit_listings.0.trigger", "Field required"),
        ({**LISTING, "trigger": "late"}, "credit_listings.0.trigger", "Input should be 'report_"),
        (without(LISTING, "listed_on"), "credit_listings.0.listed_on", "Field required"),
    ],
)
def test_a_bad_listing_is_a_row_error_naming_its_field(
    listing: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(RowInvalid) as caught:
        parse_row(row(credit_listings=[listing]))
    # the row's kind comes first in the path (the schema chose it by `kind`)
    assert caught.value.detail.startswith(f"social_group.{field}: {message}")
    assert ";" not in caught.value.detail  # that field, and only that one


def test_a_csv_removal_without_its_reason_names_the_field() -> None:
    cells = {"credit_removal_1": "严重违法失信名单", "credit_removal_on_1": "2024-12-01"}
    with pytest.raises(RowInvalid) as caught:
        parse_row(nest({k: str(v) for k, v in row().items()} | cells))
    assert caught.value.detail == "social_group.credit_removals.0.reason: Field required"


def test_unreachable_needs_the_day_found() -> None:
    with pytest.raises(RowInvalid) as caught:
        parse_row(row(unreachable=[{"note": "住所无人"}]))
    assert caught.value.detail == "social_group.unreachable.0.found_on: Field required"


def test_the_domain_refuses_a_trigger_of_the_other_list_and_a_removal_of_no_listing() -> None:
    wrong = parse_row(row(credit_listings=[{**LISTING, "trigger": "large_fine"}]))
    with pytest.raises(InvalidCommand) as refused:
        plan(1, wrong, places=PLACES, today=TODAY)
    assert refused.value.code == Refusal.INVALID_CREDIT_TRIGGER
    removal = {"list": "serious", "reason": "clean_two_years", "delisted_on": "2024-12-01"}
    with pytest.raises(StateConflict) as conflict:
        plan(1, parse_row(row(credit_removals=[removal])), places=PLACES, today=TODAY)
    assert conflict.value.code == Refusal.NOT_ON_CREDIT_LIST


def test_on_the_day_of_an_end_decisions_resting_on_it_come_after_it() -> None:
    revoked = row(
        end={"how": "撤销", "on": "2024-06-01", "reason": "一年未开展活动"},
        credit_listings=[
            {"list": "serious", "trigger": "registration_revoked", "listed_on": "2024-06-01"},
            {"list": "abnormal", "trigger": "report_not_filed", "listed_on": "2024-06-01"},
        ],
    )
    planned = plan(1, parse_row(revoked), places=PLACES, today=TODAY)
    assert [(t, d.get("trigger")) for t, d in planned.stored][1:] == [
        ("credit_listed", "report_not_filed"),
        ("registration_revoked", None),
        ("credit_listed", "registration_revoked"),
    ]
    ended = row(
        end={"how": "注销", "on": "2024-09-01", "reason": "清算完毕"},
        credit_listings=[
            {"list": "serious", "trigger": "registration_revoked", "listed_on": "2024-06-01"}
        ],
        credit_removals=[
            {"list": "serious", "reason": "deregistered", "delisted_on": "2024-09-01"}
        ],
    )
    planned = plan(1, parse_row(ended), places=PLACES, today=TODAY)
    assert [t for t, _ in planned.stored][-2:] == ["deregistered", "credit_delisted"]
