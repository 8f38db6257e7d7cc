"""Refusals of the evaluation domain, each with a stable slug the API turns into problem+json."""

from __future__ import annotations


class DomainRefusal(Exception):
    """A command the domain refuses; `status` is the HTTP status it maps to."""

    slug = "refused"
    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvestigationNotFound(DomainRefusal):
    slug = "investigation-not-found"
    status = 404


class InvestigationClosed(DomainRefusal):
    slug = "investigation-already-closed"


class InvestigationAlreadyOpen(DomainRefusal):
    """An open investigation of the organization already has this reference."""

    slug = "investigation-already-open"


class DateBeforeOpening(DomainRefusal):
    slug = "closed-before-opened"
    status = 422
