"""Refusals of the registry domain, each with a stable machine code for callers to match on."""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    """Stable codes (the problem type's slug, `urn:socorg:problem:<code>`); the message may
    change, these may not."""

    # the command itself is wrong
    INVALID_CREDIT_CODE = "invalid-credit-code"
    KIND_MISMATCH = "kind-mismatch"
    LEVEL_MISMATCH = "level-mismatch"
    KIND_NOT_REGISTRABLE = "kind-not-registrable"
    INCOMPLETE_OVERRIDE = "incomplete-override"
    INVALID_FIELD = "invalid-field"
    UNKNOWN_FIELD = "unknown-field"
    NO_CHANGE = "no-change"
    REPORT_YEAR_NOT_ENDED = "report-year-not-ended"
    REPORT_YEAR_BEFORE_REGISTRATION = "report-year-before-registration"
    DATE_BEFORE_REGISTRATION = "date-before-registration"
    DATE_BEFORE_REVOCATION = "date-before-revocation"
    INSPECTION_BEFORE_REPORT = "inspection-before-report"
    DUE_DATE_NOT_AFTER_ORDER = "due-date-not-after-order"
    INVALID_RATING = "invalid-rating"
    UNKNOWN_PLACE = "unknown-place"
    UNKNOWN_CATEGORY = "unknown-category"
    DATE_IN_FUTURE = "date-in-future"
    INVALID_RATING_VALIDITY = "invalid-rating-validity"
    RATING_TOO_EARLY = "rating-too-early"
    INVALID_PENALTY = "invalid-penalty"
    DATE_BEFORE_DECISION = "date-before-decision"
    DATE_BEFORE_ORDER = "date-before-order"
    INVALID_CREDIT_TRIGGER = "invalid-credit-trigger"
    DATE_BEFORE_LISTING = "date-before-listing"
    # the organization's state forbids it
    ALREADY_REGISTERED = "already-registered"
    NOT_REGISTERED = "not-registered"
    DUPLICATE_REPORT = "duplicate-report"
    DUPLICATE_INSPECTION = "duplicate-inspection"
    INSPECTION_WITHOUT_REPORT = "inspection-without-report"
    ALREADY_A_CHARITY = "already-a-charity"
    NOT_A_CHARITY = "not-a-charity"
    NOT_A_LEGAL_PERSON = "not-a-legal-person"
    RATING_ON_COMMUNITY_ORG = "rating-on-community-org"
    RATING_UNCHANGED = "rating-unchanged"
    ORGANIZATION_IN_LIQUIDATION = "organization-in-liquidation"
    ORGANIZATION_DEREGISTERED = "organization-deregistered"
    ACT_OUT_OF_ORDER = "act-out-of-order"
    EVALUATION_ALREADY_RECORDED = "evaluation-already-recorded"
    NOT_FILED = "not-filed"
    NOT_REGISTERED_BUT_FILED = "not-registered-but-filed"
    DUPLICATE_PENALTY = "duplicate-penalty"
    UNKNOWN_PENALTY = "unknown-penalty"
    PENALTY_ALREADY_CARRIED_OUT = "penalty-already-carried-out"
    UNKNOWN_DISPOSAL = "unknown-disposal"
    RECTIFICATION_ALREADY_COMPLETED = "rectification-already-completed"
    NOT_ON_CREDIT_LIST = "not-on-credit-list"
    CREDIT_REMOVAL_REFUSED = "credit-removal-refused"


class RegistryRefusal(Exception):
    """A command the registry will not turn into an event."""

    def __init__(self, code: Refusal, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class InvalidCommand(RegistryRefusal):
    """The command is wrong whatever the organization's state (an unprocessable request)."""


class StateConflict(RegistryRefusal):
    """The command is well formed but the organization's state forbids it (a conflict)."""


class IdentifierTaken(Exception):
    """A credit code or filing number another organization holds (`holder`, when still known).

    Raised by the read model of the register, which keeps identifiers unique across streams.
    """

    def __init__(self, what: str, value: str, holder: str | None) -> None:
        super().__init__(f"{what} {value} is held by {holder or 'another organization'}")
        self.what = what
        self.value = value
        self.holder = holder
