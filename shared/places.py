"""GB/T 2260 place codes: which codes lie inside an area (API keys, searches, place trees).

A 6-digit code is `ppccdd`: a province `pp0000` is the area of its two digits, a city `ppcc00`
of its four, a county of all six; `100000` is the whole country; a 9-digit street or 12-digit
community code is an area of its own digits.
"""

from __future__ import annotations

NATIONAL = "100000"
LENGTHS = (6, 9, 12)


def is_place_code(value: object) -> bool:
    """A 6, 9 or 12-digit code of ASCII digits (`str.isdigit` alone also takes '²' or '٤')."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) in LENGTHS


def area_prefix(code: str) -> str:
    """The prefix every code inside `code` starts with: 420000 → 42, 420100 → 4201.

    Only the zeros of the level go, never a zero of the code itself: 内江市 511000 is 5110
    (511 would take in 雅安 5118), 重庆 500000 is 50 (5 would take in 四川 and 云南).
    """
    if code == NATIONAL:
        return ""
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def within(code: str, area: str) -> bool:
    """Whether the place `code` lies inside the area `area` (or is it)."""
    return code.startswith(area_prefix(area))
