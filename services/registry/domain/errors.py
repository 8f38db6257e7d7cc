"""Refusals of the registry domain, each with a stable machine code for callers to match on."""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    """Stable codes; the message may change, these may not."""

    # the command itself is wrong
    INVALID_CREDIT_CODE = "invalid_credit_code"
    KIND_MISMATCH = "kind_mismatch"
    LEVEL_MISMATCH = "level_mismatch"
    KIND_NOT_REGISTRABLE = "kind_not_registrable"
    INCOMPLETE_OVERRIDE = "incomplete_override"
    INVALID_FIELD = "invalid_field"
    UNKNOWN_FIELD = "unknown_field"
    NO_CHANGE = "no_change"
    REPORT_YEAR_NOT_ENDED = "report_year_not_ended"
    REPORT_YEAR_BEFORE_REGISTRATION = "report_year_before_registration"
    DATE_BEFORE_REGISTRATION = "date_before_registration"
    DATE_BEFORE_REVOCATION = "date_before_revocation"
    INSPECTION_BEFORE_REPORT = "inspection_before_report"
    DUE_DATE_NOT_AFTER_ORDER = "due_date_not_after_order"
    INVALID_RATING = "invalid_rating"
    UNKNOWN_PLACE = "unknown_place"
    UNKNOWN_CATEGORY = "unknown_category"
    DATE_IN_FUTURE = "date_in_future"
    INVALID_RATING_VALIDITY = "invalid_rating_validity"
    RATING_TOO_EARLY = "rating_too_early"
    INVALID_PENALTY = "invalid_penalty"
    DATE_BEFORE_DECISION = "date_before_decision"
    DATE_BEFORE_ORDER = "date_before_order"
    INVALID_CREDIT_TRIGGER = "invalid_credit_trigger"
    DATE_BEFORE_LISTING = "date_before_listing"
    # the organization's state forbids it
    ALREADY_REGISTERED = "already_registered"
    NOT_REGISTERED = "not_registered"
    DUPLICATE_REPORT = "duplicate_report"
    DUPLICATE_INSPECTION = "duplicate_inspection"
    INSPECTION_WITHOUT_REPORT = "inspection_without_report"
    ALREADY_A_CHARITY = "already_a_charity"
    NOT_A_CHARITY = "not_a_charity"
    NOT_A_LEGAL_PERSON = "not_a_legal_person"
    RATING_ON_COMMUNITY_ORG = "rating_on_community_org"
    RATING_UNCHANGED = "rating_unchanged"
    ORGANIZATION_IN_LIQUIDATION = "organization_in_liquidation"
    ORGANIZATION_DEREGISTERED = "organization_deregistered"
    ACT_OUT_OF_ORDER = "act_out_of_order"
    EVALUATION_ALREADY_RECORDED = "evaluation_already_recorded"
    NOT_FILED = "not_filed"
    NOT_REGISTERED_BUT_FILED = "not_registered_but_filed"
    DUPLICATE_PENALTY = "duplicate_penalty"
    UNKNOWN_PENALTY = "unknown_penalty"
    PENALTY_ALREADY_CARRIED_OUT = "penalty_already_carried_out"
    UNKNOWN_DISPOSAL = "unknown_disposal"
    RECTIFICATION_ALREADY_COMPLETED = "rectification_already_completed"
    NOT_ON_CREDIT_LIST = "not_on_credit_list"
    CREDIT_REMOVAL_REFUSED = "credit_removal_refused"


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
