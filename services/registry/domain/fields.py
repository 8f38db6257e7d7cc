"""Checks of single field values shared by the registry's commands."""

from __future__ import annotations

from collections.abc import Collection

from services.registry.domain.errors import InvalidCommand, Refusal

# GB/T 2260 county (6), street/township (county + 3) and community (street + 3) codes.
PLACE_CODE_LENGTHS = (6, 9, 12)


def is_digits(value: object, lengths: Collection[int]) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) in lengths


def require_text(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidCommand(Refusal.INVALID_FIELD, f"{field} must be a non-empty text")
    return value


def require_optional_text(field: str, value: object) -> str | None:
    return None if value is None else require_text(field, value)


def require_digits(field: str, value: object, lengths: Collection[int]) -> str:
    if not is_digits(value, lengths):
        sizes = " or ".join(str(n) for n in lengths)
        raise InvalidCommand(Refusal.INVALID_FIELD, f"{field} must be {sizes} digits: {value!r}")
    assert isinstance(value, str)
    return value


def require_count(field: str, value: object) -> int | None:
    """An optional whole number of at least zero (bool is refused, though Python allows it)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidCommand(Refusal.INVALID_FIELD, f"{field} must be a whole number >= 0")
    return value


def require_flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidCommand(Refusal.INVALID_FIELD, f"{field} must be true or false")
    return value


def require_community_in_street(street: str, community: str) -> None:
    if not community.startswith(street):
        raise InvalidCommand(
            Refusal.INVALID_FIELD, f"community {community} is not in street {street}"
        )
