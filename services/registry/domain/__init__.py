"""The registry domain: pure rules and aggregates (no framework or I/O; a test enforces it)."""

from services.registry.domain.credit_code import CodeCheck, check_credit_code, make_credit_code
from services.registry.domain.errors import (
    InvalidCommand,
    Refusal,
    RegistryRefusal,
    StateConflict,
)
from services.registry.domain.organization import Organization
from services.registry.domain.registration import OverrideRequest
from services.registry.domain.reporting import (
    NATIONAL_RULES,
    ReportingRules,
    latest_year_past_deadline,
    report_deadline,
    required_to_report,
)
from services.registry.domain.state import Status

__all__ = [
    "NATIONAL_RULES",
    "CodeCheck",
    "InvalidCommand",
    "Organization",
    "OverrideRequest",
    "Refusal",
    "RegistryRefusal",
    "ReportingRules",
    "StateConflict",
    "Status",
    "check_credit_code",
    "latest_year_past_deadline",
    "make_credit_code",
    "report_deadline",
    "required_to_report",
]
