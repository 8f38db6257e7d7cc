"""统一社会信用代码 checks (GB 32100-2015) on the DOMAIN.md examples and on each failing rule."""

from __future__ import annotations

import pytest

from services.registry.domain.credit_code import (
    C18_WEIGHTS,
    authority_level,
    c9_of,
    c18_of,
    check_credit_code,
    make_credit_code,
    normalise_credit_code,
)


@pytest.mark.parametrize("code", ["52420100MJH27161X9", "53100000500021676K"])
def test_the_domain_examples_are_valid(code: str) -> None:
    result = check_credit_code(code)
    assert result.valid and result.failures == ()


def test_the_domain_invalid_example_fails_c18_only_and_says_so() -> None:
    result = check_credit_code("53100000500020462H")
    assert result.failed_checks == ("c18",)
    assert "c18" in result.message and "'K'" in result.message


def test_c18_weights_are_powers_of_three_mod_31() -> None:
    assert C18_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_c9_values_letters_on_the_full_alphabet_and_writes_10_as_x() -> None:
    # M=22, J=19, H=17 under A=10 … Z=35; the GB 32100 table would give other values
    assert c9_of("MJH27161") == "X"
    assert c9_of("50002167") == "6"


def test_c9_writes_11_as_zero() -> None:
    # 0·3 + … + 0·2 = 0 → 11 − 0 = 11 → '0'
    assert c9_of("00000000") == "0"


def test_c18_writes_31_as_zero() -> None:
    # a weighted sum of 0 gives 31 − 0 = 31, written '0'
    assert c18_of("0" * 17) == "0"


@pytest.mark.parametrize(
    ("code", "check"),
    [
        ("52420100MJH27161X", "length"),
        ("52420100MJH27161X99", "length"),
        ("52420100MJH27161XI", "alphabet"),
        ("52420100MJH27161XS", "alphabet"),
        ("12420100MJH27161X9", "department"),
        ("54420100MJH27161X9", "type_digit"),
        ("5242010AMJH27161X9", "authority"),
        ("52420100MJH271610" + c18_of("52420100MJH271610"), "c9"),
        ("52420100MJH27161XA", "c18"),
    ],
)
def test_each_failed_check_is_named_in_the_result_and_the_message(code: str, check: str) -> None:
    result = check_credit_code(code)
    assert check in result.failed_checks
    assert not result.valid
    assert check in result.message


def test_a_malformed_code_reports_only_its_shape() -> None:
    assert check_credit_code("12O").failed_checks == ("length", "alphabet")


def test_type_digit_must_match_the_kind() -> None:
    result = check_credit_code("52420100MJH27161X9", kind="foundation")
    assert result.failed_checks == ("kind_mismatch",)
    assert "foundation" in result.message
    assert check_credit_code("52420100MJH27161X9", kind="social_service_agency").valid


def test_type_digit_nine_matches_no_registered_kind() -> None:
    code = make_credit_code("9", "420100", "MJH27161")
    assert check_credit_code(code).valid
    assert check_credit_code(code, kind="social_group").failed_checks == ("kind_mismatch",)


def test_check_characters_and_kind_mismatch_are_overridable() -> None:
    legacy = check_credit_code("53100000500020462H", kind="social_group")
    assert legacy.failed_checks == ("c18", "kind_mismatch")
    assert legacy.overridable and legacy.hard_failures == ()


@pytest.mark.parametrize(
    "code",
    ["52420100MJH27161X", "52420100MJH27161XI", "12420100MJH27161X9", "5242010AMJH27161X9"],
)
def test_shape_department_and_authority_failures_are_never_overridable(code: str) -> None:
    result = check_credit_code(code)
    assert result.hard_failures and not result.overridable


def test_a_valid_code_is_not_called_overridable() -> None:
    assert not check_credit_code("52420100MJH27161X9").overridable


def test_make_credit_code_rebuilds_the_domain_examples() -> None:
    assert make_credit_code("2", "420100", "MJH27161") == "52420100MJH27161X9"
    assert make_credit_code("3", "100000", "50002167") == "53100000500021676K"


@pytest.mark.parametrize(
    ("type_digit", "authority", "body"),
    [("4", "420100", "MJH27161"), ("1", "42010", "MJH27161"), ("1", "420100", "MJH2716I")],
)
def test_make_credit_code_refuses_parts_that_cannot_make_a_code(
    type_digit: str, authority: str, body: str
) -> None:
    with pytest.raises(ValueError):
        make_credit_code(type_digit, authority, body)


@pytest.mark.parametrize(
    "pasted",
    [
        " 52420100MJH27161X9\n",  # copied with the line around it
        "52420100mjh27161x9",  # typed in lower case
        "５２４２０１００ＭＪＨ２７１６１Ｘ９",  # full-width, from a Chinese input method
        "\u300052420100MJH27161X9\u3000",  # ideographic spaces
    ],
)
def test_a_code_as_people_paste_it_is_normalised_before_the_checks(pasted: str) -> None:
    result = check_credit_code(pasted)
    assert result.valid and result.code == "52420100MJH27161X9"
    assert normalise_credit_code(pasted) == "52420100MJH27161X9"


@pytest.mark.parametrize(
    ("authority", "level"),
    [("100000", "national"), ("420000", "province"), ("420100", "city"), ("420106", "county")],
)
def test_the_authority_registers_at_the_level_its_code_names(authority: str, level: str) -> None:
    assert authority_level(authority) == level


def test_a_level_that_disagrees_with_the_authority_is_a_warning_an_override_accepts() -> None:
    result = check_credit_code("52420100MJH27161X9", level="county")  # a city bureau's code
    assert result.failed_checks == ("level_mismatch",) and result.overridable
    assert check_credit_code("52420100MJH27161X9", level="city").valid


def test_an_authority_that_is_no_known_place_is_refused_outright() -> None:
    code = make_credit_code("1", "990100", "MJH27162")
    result = check_credit_code(code, known_authority=lambda s: s == "420100")
    assert result.failed_checks == ("unknown_authority",) and not result.overridable
    national = check_credit_code("53100000500021676K", known_authority=lambda s: False)
    assert national.valid  # 100000, the ministry, needs no place
