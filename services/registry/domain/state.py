"""An organization's state folded from its registry events, with the guards commands share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from typing import Any, Literal, Self

from services.registry.domain.errors import InvalidCommand, Refusal, StateConflict
from services.registry.domain.evolution import changes
from services.registry.domain.reporting import LEGAL_PERSON_KINDS
from shared.contracts import contract_of
from shared.contracts.registry import (
    AnnualReportSubmitted,
    CertificateRevoked,
    CodeOverride,
    CreditDelisted,
    CreditListed,
    DisposalOrdered,
    FilingCancelled,
    Grade,
    InspectionConcluded,
    Kind,
    Level,
    PenaltyImposed,
    RatingChanged,
    RegistrationRevoked,
    RegistryEvent,
)

Status = Literal["active", "in_liquidation", "deregistered"]


@dataclass(frozen=True)
class OrganizationState:
    """One organization's stream folded into state; version counts the events applied."""

    organization_id: str
    version: int = 0
    kind: Kind | None = None
    status: Status | None = None
    name: str | None = None
    category: str | None = None
    started_on: date | None = None  # 成立登记 date, or 备案 date for a community organization
    credit_code: str | None = None
    code_override: CodeOverride | None = None
    level: Level | None = None
    registration_authority: str | None = None
    domicile: str | None = None
    legal_representative: str | None = None
    supervisory_unit: str | None = None
    registered_capital_yuan: int | None = None
    business_scope: str | None = None
    filing_number: str | None = None
    street: str | None = None
    community: str | None = None
    urban: bool | None = None
    charity_since: date | None = None
    reports: Mapping[int, AnnualReportSubmitted] = field(default_factory=dict)
    inspections: Mapping[int, InspectionConcluded] = field(default_factory=dict)
    disposals: tuple[DisposalOrdered, ...] = ()
    rating: RatingChanged | None = None
    rating_before: RatingChanged | None = None  # the rating the latest one replaced
    revocation: RegistrationRevoked | CertificateRevoked | None = None
    deregistered_on: date | None = None  # 注销, or the end of a filing (注销备案 / 撤销备案)
    filing_cancellation: FilingCancelled | None = None
    grade_ended_on: date | None = None  # 撤销/吊销/注销: no grade from that day on
    last_act_on: date | None = None  # the latest act date recorded (acts in date order)
    # 行政处罚 by decision number, when each was carried out, and 整改完成 by order date
    penalties: Mapping[str, PenaltyImposed] = field(default_factory=dict)
    penalties_carried_out: Mapping[str, date] = field(default_factory=dict)
    rectified: Mapping[date, date] = field(default_factory=dict)
    # credit lists (民政部令第60号): the listing in force on each list, the last removal from
    # each, and the days it was found unreachable at its registered address
    credit_listings: Mapping[str, CreditListed] = field(default_factory=dict)
    credit_removals: Mapping[str, CreditDelisted] = field(default_factory=dict)
    unreachable_on: tuple[date, ...] = ()

    # ---- folding -------------------------------------------------------------------------

    @classmethod
    def replay(cls, organization_id: str, events: Iterable[RegistryEvent]) -> Self:
        org = cls.blank(organization_id)
        for event in events:
            org = org.apply(event)
        return org

    @classmethod
    def blank(cls, organization_id: str) -> Self:
        """What `cls(organization_id)` makes, its fields set in one dict: the dataclass
        __init__ of this frozen class sets each of its fields one by one, and a replay or an
        import row starts from a blank state every time."""
        org = object.__new__(cls)
        fresh = {name: factory() for name, factory in _FACTORIES}
        object.__setattr__(
            org, "__dict__", {**_DEFAULTS, **fresh, "organization_id": organization_id}
        )
        return org

    def apply(self, event: RegistryEvent) -> Self:
        if event.organization_id != self.organization_id:
            raise ValueError(f"event for {event.organization_id} applied to {self.organization_id}")
        day = contract_of(event).act_date(event)
        last = self.last_act_on if self.last_act_on is not None and self.last_act_on > day else day
        return self._with(version=self.version + 1, last_act_on=last, **changes(self, event))

    def _with(self, **new: Any) -> Self:
        """A copy with `new` values: what dataclasses.replace does, without running __init__
        over every field again (the fold's hottest line; this class has no __post_init__).
        The copy's fields are one merged dict, built at its size rather than grown by update."""
        if not _FIELDS.issuperset(new):
            unknown = new.keys() - _FIELDS
            raise TypeError(f"OrganizationState has no field {', '.join(sorted(unknown))}")
        copy = object.__new__(type(self))
        object.__setattr__(copy, "__dict__", self.__dict__ | new)
        return copy

    # ---- reads ---------------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        return self.status is not None

    @property
    def is_legal_person(self) -> bool:
        return self.kind in LEGAL_PERSON_KINDS

    @property
    def is_charity(self) -> bool:
        return self.charity_since is not None

    def grade_on(self, day: date) -> Grade | None:
        """The grade in force on `day`: decided by then, not expired, the organization not ended.

        A grade that starts later (the 2026 revision: 1 January after the announcement) leaves
        the one before it in force until then.
        """
        if self.grade_ended_on is not None and day >= self.grade_ended_on:
            return None  # the organization ended: its grade ended with it
        r = self.rating
        if r is None or r.decided_on > day:
            return None
        if r.valid_from is not None and day < r.valid_from:
            return _in_force(self.rating_before, day)
        return _in_force(r, day)

    # ---- guards ----------------------------------------------------------------------------

    def _require_new(self) -> None:
        if self.exists:
            raise StateConflict(
                Refusal.ALREADY_REGISTERED, f"{self.organization_id} is already on the register"
            )

    def _require_exists(self) -> None:
        if not self.exists:
            raise StateConflict(
                Refusal.NOT_REGISTERED, f"{self.organization_id} is not on the register"
            )

    def _require_not_deregistered(self) -> None:
        if self.status == "deregistered":
            raise StateConflict(
                Refusal.ORGANIZATION_DEREGISTERED,
                f"deregistered (注销) on {self.deregistered_on}: its history is read-only",
            )

    def _require_open(self, day: date, *, late: bool = False) -> None:
        """Active, and `day` is not before it came onto the register, nor (unless `late`:
        a report or an inspection of a past year) before its latest recorded act."""
        self._require_exists()
        self._require_not_deregistered()
        if self.status == "in_liquidation":
            raise StateConflict(
                Refusal.ORGANIZATION_IN_LIQUIDATION,
                "in liquidation after 撤销/吊销: only 注销 (deregistration) is accepted",
            )
        self._require_not_before(day, self.started_on, "registration")
        if not late:
            self._require_in_order(day)

    def _require_in_order(self, day: date) -> None:
        """Acts are recorded in date order (docs/registry.md, Acts in date order): an act
        dated before the latest recorded act would rewrite what followed it."""
        if self.last_act_on is not None and day < self.last_act_on:
            raise StateConflict(
                Refusal.ACT_OUT_OF_ORDER,
                f"{day} is before the latest act on the register, dated {self.last_act_on}: "
                "acts are recorded in date order",
            )

    def _require_legal_person(self, what: str) -> None:
        if not self.is_legal_person:
            raise StateConflict(
                Refusal.NOT_A_LEGAL_PERSON,
                f"{what} concerns legal persons; a community organization (社区社会组织) is filed",
            )

    @staticmethod
    def _require_not_before(
        day: date,
        start: date | None,
        what: str,
        refusal: Refusal = Refusal.DATE_BEFORE_REGISTRATION,
    ) -> None:
        if start is not None and day < start:
            raise InvalidCommand(refusal, f"{day} is before the {what} on {start}")


def _in_force(r: RatingChanged | None, day: date) -> Grade | None:
    if r is None or r.grade is None or day < (r.valid_from or r.decided_on):
        return None
    return r.grade if r.valid_until is None or day <= r.valid_until else None


_FIELDS = frozenset(f.name for f in fields(OrganizationState))
# The fields' defaults (`blank`): values shared by every blank state, and the factories of the
# mutable ones, so that no two states share a dict.
_DEFAULTS = {f.name: f.default for f in fields(OrganizationState) if f.default is not MISSING}
_FACTORIES = [
    (f.name, f.default_factory)
    for f in fields(OrganizationState)
    if f.default_factory is not MISSING
]
