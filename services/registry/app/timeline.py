"""Where registry events sit in time: each carries the date of the act it records.

An event's `occurred_at` is the start (00:00, Asia/Shanghai) of its act's date — the
registration, filing, change, report or decision date — not the moment it was recorded. An
`as_of` read of day D folds the events whose `occurred_at` falls on or before D, i.e. every act
dated D or earlier *as the register knows it now* (an act recorded late still counts from its
own date). `recorded_at` keeps when the registry learned of it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from services.registry.app.clock import SHANGHAI
from services.registry.app.errors import DateOutOfRange
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CertificateRevoked,
    CharityRecognised,
    CommunityOrganizationFiled,
    Deregistered,
    DisposalOrdered,
    InspectionConcluded,
    OrganizationRegistered,
    RatingChanged,
    RegistrationChanged,
    RegistrationRevoked,
    RegistryEvent,
)


def act_date(event: RegistryEvent) -> date:
    """The civil date of the act an event records."""
    match event:
        case OrganizationRegistered():
            return event.registered_on
        case CommunityOrganizationFiled():
            return event.filed_on
        case RegistrationChanged():
            return event.changed_on
        case AnnualReportSubmitted():
            return event.submitted_on
        case InspectionConcluded():
            return event.concluded_on
        case CharityRecognised():
            return event.recognised_on
        case RegistrationRevoked() | CertificateRevoked():
            return event.revoked_on
        case Deregistered():
            return event.deregistered_on
        case DisposalOrdered():
            return event.ordered_on
        case RatingChanged():
            return event.decided_on
    raise TypeError(f"{type(event).__name__} is not a registry event")


def start_of(day: date) -> datetime:
    """00:00 of a civil date in Asia/Shanghai, as an aware timestamp."""
    return datetime.combine(day, time(), SHANGHAI)


def end_of(day: date) -> datetime:
    """The last instant of a civil date in Asia/Shanghai (the `as_of` bound, inclusive)."""
    try:
        return start_of(day + timedelta(days=1)) - timedelta(microseconds=1)
    except OverflowError:  # 9999-12-31 has no next day: the calendar ends there
        raise DateOutOfRange(f"{day} is past the last date the register can bound") from None
