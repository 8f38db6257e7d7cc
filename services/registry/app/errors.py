"""Refusals of the application layer, on top of the domain's: the API maps each to a status."""

from __future__ import annotations


class ApplicationError(Exception):
    """A request the registry answers with a refusal; `slug` is stable for callers."""

    slug = "refused"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class OrganizationNotFound(ApplicationError):
    slug = "organization-not-found"


class OutsideClientArea(ApplicationError):
    """The client's place restriction does not cover the organization's domicile."""

    slug = "outside-client-area"


class VersionConflict(ApplicationError):
    """The caller's expected version is not the stream's; `details['current_version']`."""

    slug = "version-conflict"


class DuplicateIdentifier(ApplicationError):
    """Another organization already holds this credit code or filing number."""

    slug = "duplicate-identifier"


class DateOutOfRange(ApplicationError):
    """A date the register cannot reason about (e.g. `as_of` 9999-12-31, the calendar's end)."""

    slug = "date-out-of-range"


class AsOfInFuture(ApplicationError):
    """An `as_of` after today: the register answers for days that have happened."""

    slug = "as-of-in-future"


class MissingScope(ApplicationError):
    """The client's key lacks a scope the command needs; `details['required_scope']`."""

    slug = "missing-scope"
