"""成立登记 checks: whether a credit code may be registered, with an audited override if needed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.registry.domain.credit_code import CodeCheck, check_credit_code
from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.places import Places
from shared.contracts.registry import CodeOverride, Kind, Level

# The warnings an override accepts, each with the refusal a caller sees without one.
_WARNING_REFUSALS: dict[tuple[str, ...], Refusal] = {
    ("kind_mismatch",): Refusal.KIND_MISMATCH,
    ("level_mismatch",): Refusal.LEVEL_MISMATCH,
}


@dataclass(frozen=True)
class OverrideRequest:
    """A bureau official's decision to register a legacy code that fails a check, and why."""

    allowed_by: str
    reason: str


@dataclass(frozen=True)
class AcceptedCode:
    """The code as stored (normalised) and the override recorded with it, if one was needed."""

    code: str
    override: CodeOverride | None


def accept_credit_code(
    code: str,
    kind: Kind,
    override: OverrideRequest | None,
    *,
    level: Level | None = None,
    places: Places | None = None,
) -> AcceptedCode:
    """The normalised code and the override to record with the registration (None if valid).

    With `places`, digits 3–8 must name a known place (or 100000); with `level`, the
    authority must register at that level (a mismatch is a warning the override accepts).
    An override offered for a valid code is not recorded: there is nothing it allows.
    """
    known = None if places is None else _known_authority(places)
    check = check_credit_code(code, kind, level=level, known_authority=known)
    if check.valid:
        return AcceptedCode(check.code, None)
    if check.hard_failures:
        raise InvalidCommand(
            Refusal.INVALID_CREDIT_CODE,
            f"credit code {check.code!r} is not a GB 32100 civil-affairs code: {check.message}",
        )
    if override is None:
        raise InvalidCommand(_refusal_for(check), _needs_override(check))
    if not override.allowed_by.strip() or not override.reason.strip():
        raise InvalidCommand(
            Refusal.INCOMPLETE_OVERRIDE, "a credit-code override must say who allowed it and why"
        )
    return AcceptedCode(
        check.code,
        CodeOverride(
            allowed_by=override.allowed_by,
            reason=override.reason,
            failed_checks=list(check.failed_checks),
        ),
    )


def _known_authority(places: Places) -> Callable[[str], bool]:
    def known(segment: str) -> bool:
        place = places.get(segment)
        return place is not None and place.level in ("province", "city", "county", "zone")

    return known


def _refusal_for(check: CodeCheck) -> Refusal:
    return _WARNING_REFUSALS.get(check.failed_checks, Refusal.INVALID_CREDIT_CODE)


def _needs_override(check: CodeCheck) -> str:
    return (
        f"credit code {check.code!r} fails {', '.join(check.failed_checks)} ({check.message}); "
        "a legacy code is registered only with an audited override (who allowed it and why)"
    )
