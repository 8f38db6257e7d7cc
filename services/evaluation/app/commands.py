"""Commands on the investigations of an organization: small dataclasses, one handler each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class OpenInvestigation:
    """立案调查 opened on a day (default today)."""

    organization_id: str
    reference: str
    opened_on: date | None = None


@dataclass(frozen=True)
class CloseInvestigation:
    """The investigation ended on a day (default today)."""

    organization_id: str
    investigation_id: str
    closed_on: date | None = None


Command = OpenInvestigation | CloseInvestigation
