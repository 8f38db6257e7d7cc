"""成立登记 checks: whether a credit code may be registered, with an audited override if needed."""

from __future__ import annotations

from dataclasses import dataclass

from services.registry.domain.credit_code import CodeCheck, check_credit_code
from services.registry.domain.errors import InvalidCommand, Refusal
from shared.contracts.registry import CodeOverride, Kind


@dataclass(frozen=True)
class OverrideRequest:
    """A bureau official's decision to register a legacy code that fails a check, and why."""

    allowed_by: str
    reason: str


def accept_credit_code(
    code: str, kind: Kind, override: OverrideRequest | None
) -> CodeOverride | None:
    """The override to record with the registration, or None when the code is valid.

    An override offered for a valid code is not recorded: there is nothing it allows.
    """
    check = check_credit_code(code, kind)
    if check.valid:
        return None
    if check.hard_failures:
        raise InvalidCommand(
            Refusal.INVALID_CREDIT_CODE,
            f"credit code {code!r} is not a GB 32100 civil-affairs code: {check.message}",
        )
    if override is None:
        raise InvalidCommand(_refusal_for(check), _needs_override(check))
    if not override.allowed_by.strip() or not override.reason.strip():
        raise InvalidCommand(
            Refusal.INCOMPLETE_OVERRIDE, "a credit-code override must say who allowed it and why"
        )
    return CodeOverride(
        allowed_by=override.allowed_by,
        reason=override.reason,
        failed_checks=list(check.failed_checks),
    )


def _refusal_for(check: CodeCheck) -> Refusal:
    if check.failed_checks == ("kind_mismatch",):
        return Refusal.KIND_MISMATCH
    return Refusal.INVALID_CREDIT_CODE


def _needs_override(check: CodeCheck) -> str:
    return (
        f"credit code {check.code!r} fails {', '.join(check.failed_checks)} ({check.message}); "
        "a legacy code is registered only with an audited override (who allowed it and why)"
    )
