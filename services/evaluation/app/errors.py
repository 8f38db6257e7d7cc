"""Refusals of the application layer, on top of the domain's: the API maps each to a status."""

from __future__ import annotations

from services.evaluation.domain.errors import DomainRefusal


class OrganizationNotFound(DomainRefusal):
    """No organization of that id on the evaluation's projection of the register."""

    slug = "organization-not-found"
    status = 404


class OutsideClientArea(DomainRefusal):
    """The key's place restriction does not cover the organization's domicile."""

    slug = "outside-client-area"
    status = 403


class DateInFuture(DomainRefusal):
    """A date after today (Asia/Shanghai): facts of the future are not known yet."""

    slug = "date-in-future"
    status = 422


class VersionConflict(DomainRefusal):
    """Another write on the organization's investigations came first: retry."""

    slug = "version-conflict"


class RegistryRecordNotFound(DomainRefusal):
    """No rating to record on the registry under that evaluation_id."""

    slug = "registry-record-not-found"
    status = 404


class RegistryRecordNotParked(DomainRefusal):
    """Only a parked record is sent again by hand: a pending one is being tried, a sent one
    is on the registry."""

    slug = "registry-record-not-parked"


class ExpiryScanRunning(DomainRefusal):
    """Another replica (or request) holds the expiry scan's lease: this scan did not start."""

    slug = "scan-running"
    status = 409
