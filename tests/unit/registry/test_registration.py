"""成立登记, 备案 and 变更登记 on the Organization aggregate."""

from __future__ import annotations

from datetime import date

import pytest

from services.registry.adapters.places_file import load_places
from services.registry.domain.credit_code import make_credit_code
from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.organization import Organization
from services.registry.domain.registration import OverrideRequest
from tests.unit.registry.builders import (
    AGENCY_CODE,
    GROUP_CODE,
    filed_community_org,
    registered,
    registration,
)

LEGACY_CODE = "53100000500020462H"  # fails C18 only


def test_registering_a_valid_code_makes_an_active_organization() -> None:
    org = Organization("org-1")
    event = org.register(**registration())
    assert org.version == 0 and not org.exists  # deciding does not mutate
    org = org.apply(event)
    assert (org.status, org.kind, org.credit_code) == ("active", "social_group", GROUP_CODE)
    assert org.registration_authority == "420100" and org.version == 1
    assert event.code_override is None


def test_registration_authority_defaults_to_the_codes_digits_3_to_8() -> None:
    assert registered(
        credit_code="53100000500021676K", kind="foundation", level="national"
    ).registration_authority == ("100000")


def test_registering_twice_is_refused() -> None:
    with pytest.raises(StateConflict) as refused:
        registered().register(**registration())
    assert refused.value.code == Refusal.ALREADY_REGISTERED


def test_a_code_failing_a_check_is_refused_naming_the_check() -> None:
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(credit_code=LEGACY_CODE, kind="foundation"))
    assert refused.value.code == Refusal.INVALID_CREDIT_CODE
    assert "c18" in refused.value.message and "override" in refused.value.message


def test_a_malformed_code_is_refused_even_with_an_override() -> None:
    override = OverrideRequest(allowed_by="张科长", reason="历史数据")
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(credit_code="5242O100", override=override))
    assert refused.value.code == Refusal.INVALID_CREDIT_CODE
    assert "length" in refused.value.message and "alphabet" in refused.value.message


def test_a_kind_that_does_not_match_the_code_is_refused_without_override() -> None:
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(credit_code=AGENCY_CODE, kind="foundation"))
    assert refused.value.code == Refusal.KIND_MISMATCH


def test_an_audited_override_registers_a_legacy_code_and_records_who_and_why() -> None:
    override = OverrideRequest(allowed_by="张科长", reason="2015年前核发的代码")
    event = Organization("o").register(
        **registration(
            credit_code=LEGACY_CODE, kind="social_group", level="national", override=override
        )
    )
    assert event.code_override is not None
    assert event.code_override.allowed_by == "张科长"
    assert event.code_override.failed_checks == ["c18", "kind_mismatch"]


def test_an_override_without_who_or_why_is_refused() -> None:
    override = OverrideRequest(allowed_by=" ", reason="历史数据")
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(credit_code=LEGACY_CODE, override=override))
    assert refused.value.code == Refusal.INCOMPLETE_OVERRIDE


def test_an_override_offered_for_a_valid_code_is_not_recorded() -> None:
    override = OverrideRequest(allowed_by="张科长", reason="不需要")
    assert Organization("o").register(**registration(override=override)).code_override is None


def test_a_community_organization_cannot_be_registered_only_filed() -> None:
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(kind="community_org"))
    assert refused.value.code == Refusal.KIND_NOT_REGISTRABLE


def test_a_domicile_that_is_not_a_place_code_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(domicile="4201"))
    assert refused.value.code == Refusal.INVALID_FIELD


def test_filing_a_community_organization_records_its_street_and_community() -> None:
    org = filed_community_org()
    assert (org.kind, org.status, org.urban) == ("community_org", "active", True)
    assert (org.street, org.community) == ("420102011", "420102011003")
    assert org.credit_code is None and org.started_on == date(2023, 3, 1)


def test_filing_with_a_community_outside_its_street_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").file_community_organization(
            filing_number="备-1",
            name="某队",
            street="420102011",
            community="420103001002",
            urban=True,
            filed_on=date(2023, 3, 1),
        )
    assert refused.value.code == Refusal.INVALID_FIELD


def test_a_change_records_old_and_new_values_of_the_fields_that_change() -> None:
    org = registered(legal_representative="王五")
    event = org.change_registration(
        {"legal_representative": "赵六", "name": org.name}, changed_on=date(2023, 1, 1)
    )
    assert event.changes == {"legal_representative": ("王五", "赵六")}
    assert org.apply(event).legal_representative == "赵六"


def test_a_change_that_changes_nothing_is_refused() -> None:
    org = registered()
    with pytest.raises(InvalidCommand) as refused:
        org.change_registration({"name": org.name}, changed_on=date(2023, 1, 1))
    assert refused.value.code == Refusal.NO_CHANGE


def test_a_change_to_a_field_change_registration_does_not_cover_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().change_registration({"credit_code": AGENCY_CODE}, changed_on=date(2023, 1, 1))
    assert refused.value.code == Refusal.UNKNOWN_FIELD


def test_a_change_with_an_invalid_value_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().change_registration(
            {"registered_capital_yuan": -5}, changed_on=date(2023, 1, 1)
        )
    assert refused.value.code == Refusal.INVALID_FIELD


def test_a_community_organization_may_move_to_another_community_of_its_street() -> None:
    org = filed_community_org()
    event = org.change_registration(
        {"community": "420102011004", "urban": False}, changed_on=date(2024, 1, 1)
    )
    moved = org.apply(event)
    assert (moved.community, moved.urban) == ("420102011004", False)


def test_a_community_organization_cannot_move_to_a_community_of_another_street() -> None:
    with pytest.raises(InvalidCommand) as refused:
        filed_community_org().change_registration(
            {"community": "420103001002"}, changed_on=date(2024, 1, 1)
        )
    assert refused.value.code == Refusal.INVALID_FIELD


def test_a_change_dated_before_registration_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().change_registration({"name": "新名称"}, changed_on=date(2019, 1, 1))
    assert refused.value.code == Refusal.DATE_BEFORE_REGISTRATION


def test_commands_on_an_organization_not_on_the_register_are_refused() -> None:
    with pytest.raises(StateConflict) as refused:
        Organization("nobody").change_registration({"name": "x"}, changed_on=date(2023, 1, 1))
    assert refused.value.code == Refusal.NOT_REGISTERED


def test_a_pasted_code_is_stored_normalised() -> None:
    org = registered(credit_code=" ５２４２０１００mjh27161x9 ", kind="social_service_agency")
    assert org.credit_code == "52420100MJH27161X9"


def test_a_level_the_authority_does_not_register_at_needs_the_override() -> None:
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(level="county"))  # 420100: a city bureau
    assert refused.value.code == Refusal.LEVEL_MISMATCH
    override = OverrideRequest(allowed_by="张科长", reason="区局代管的市级社团")
    event = Organization("o").register(**registration(level="county", override=override))
    assert event.code_override is not None
    assert event.code_override.failed_checks == ["level_mismatch"]


def test_an_authority_outside_the_known_places_is_refused_even_with_an_override() -> None:
    places = load_places()
    code = make_credit_code("1", "110100", "MJH27162")  # Beijing: not in the shipped file
    override = OverrideRequest(allowed_by="张科长", reason="历史数据")
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(
            **registration(credit_code=code, override=override), places=places
        )
    assert refused.value.code == Refusal.INVALID_CREDIT_CODE
    assert "unknown_authority" in refused.value.message
    known = Organization("o").register(**registration(), places=places)
    assert known.code_override is None


def test_an_unknown_category_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(category="体育类"))
    assert refused.value.code == Refusal.UNKNOWN_CATEGORY
    assert "体育类" in refused.value.message and "科技创新类" in refused.value.message


def test_a_category_of_another_kind_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        Organization("o").register(**registration(category="文体活动类"))  # community orgs'
    assert refused.value.code == Refusal.UNKNOWN_CATEGORY


def test_a_category_given_by_code_is_stored_by_name() -> None:
    assert registered(category="tech_innovation").category == "科技创新类"


def test_a_change_to_an_unknown_category_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        registered().change_registration({"category": "体育类"}, changed_on=date(2021, 1, 1))
    assert refused.value.code == Refusal.UNKNOWN_CATEGORY
    event = registered().change_registration(
        {"category": "社区社会组织联合会"}, changed_on=date(2021, 1, 1)
    )
    assert event.changes["category"] == (None, "社区社会组织联合会")
