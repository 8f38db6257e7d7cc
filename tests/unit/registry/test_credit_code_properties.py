"""Property tests: generated codes validate, and any single changed character is caught."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from services.registry.domain.credit_code import (
    ALPHABET,
    TYPE_DIGIT_OF_KIND,
    check_credit_code,
    make_credit_code,
)
from shared.contracts.registry import Kind

type_digits = st.sampled_from("1239")
authorities = st.text("0123456789", min_size=6, max_size=6)
bodies = st.text(ALPHABET, min_size=8, max_size=8)
codes = st.builds(make_credit_code, type_digits, authorities, bodies)


@given(codes)
def test_every_generated_code_validates(code: str) -> None:
    assert check_credit_code(code).valid


@given(st.sampled_from(sorted(TYPE_DIGIT_OF_KIND.items())), authorities, bodies)
def test_a_generated_code_matches_the_kind_of_its_type_digit(
    kind_and_digit: tuple[Kind, str], authority: str, body: str
) -> None:
    kind, digit = kind_and_digit
    code = make_credit_code(digit, authority, body)
    assert check_credit_code(code, kind=kind).valid


@given(codes, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_changing_any_single_character_fails_c18(code: str, position: int, new: str) -> None:
    assume(code[position] != new)
    changed = code[:position] + new + code[position + 1 :]
    assert "c18" in check_credit_code(changed).failed_checks


@given(codes, st.sampled_from(ALPHABET))
def test_changing_the_c9_character_fails_c9(code: str, new: str) -> None:
    assume(code[16] != new)
    changed = code[:16] + new + code[17:]
    assert "c9" in check_credit_code(changed).failed_checks


@given(codes, st.integers(0, 17), st.sampled_from("IOSVZ*io-"))
def test_a_character_outside_the_alphabet_fails_the_alphabet_check(
    code: str, position: int, new: str
) -> None:
    changed = code[:position] + new + code[position + 1 :]
    result = check_credit_code(changed)
    assert result.failed_checks == ("alphabet",) and result.hard_failures


@given(codes, st.sampled_from(["", " ", "\t", "\u3000", "\n"]))
def test_a_valid_code_pasted_in_any_case_or_width_stays_valid(code: str, pad: str) -> None:
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code)  # ASCII → ＡＢＣ
    for pasted in (pad + code.lower() + pad, pad + full_width + pad):
        result = check_credit_code(pasted)
        assert result.valid and result.code == code
