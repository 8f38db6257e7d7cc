"""How each command is decided: its act date (today if none, never after today), its places
checked against the known places, then the one aggregate method that decides its event.

Pure: the same for a command sent to a route and for a row of an import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from services.registry.app import commands as c
from services.registry.domain.errors import InvalidCommand, Refusal
from services.registry.domain.organization import Organization
from services.registry.domain.places import Places
from shared.contracts.registry import RegistryEvent


def act_day(given: date | None, today: date, field: str = "date") -> date:
    """The act's date: as given, else today; never after today."""
    if given is None:
        return today
    if given > today:
        raise InvalidCommand(Refusal.DATE_IN_FUTURE, f"{field} {given} is after today ({today})")
    return given


def day_of(command: c.Command, today: date) -> date:
    """The date of the act `command` asks for (checked before the organization is read)."""
    field = command.act_field
    given: date | None = getattr(command, field)
    return act_day(given, today, field)


def decide(
    org: Organization, command: c.Command, day: date, places: Places
) -> RegistryEvent | None:
    """The event `org` decides for `command` on `day` (or the domain's refusal); None when
    the command is already on record (a repeated rating of the same evaluation)."""
    return _DECIDE[type(command)](org, command, day, places)


def _register(org: Organization, m: c.RegisterOrganization, day: date, places: Places) -> Any:
    places.require(m.domicile)
    return org.register(
        credit_code=m.credit_code,
        name=m.name,
        kind=m.kind,
        level=m.level,
        registered_on=day,
        domicile=m.domicile,
        registration_authority=m.registration_authority,
        category=m.category,
        legal_representative=m.legal_representative,
        supervisory_unit=m.supervisory_unit,
        registered_capital_yuan=m.registered_capital_yuan,
        business_scope=m.business_scope,
        override=m.override,
        places=places,
    )


def _file(org: Organization, m: c.FileCommunityOrganization, day: date, places: Places) -> Any:
    street, urban = community_place(places, m.community, m.street, m.urban)
    return org.file_community_organization(
        filing_number=m.filing_number,
        name=m.name,
        street=street,
        community=m.community,
        urban=urban,
        filed_on=day,
        category=m.category,
    )


def _change(org: Organization, m: c.ChangeRegistration, day: date, places: Places) -> Any:
    return org.change_registration(_placed(places, org, m.changes), changed_on=day)


def _report(org: Organization, m: c.SubmitAnnualReport, day: date, _: Places) -> Any:
    return org.submit_annual_report(
        year=m.year, submitted_on=day, staff_employed=m.staff_employed, figures=m.figures
    )


def _rating(org: Organization, m: c.ChangeRating, day: date, _: Places) -> Any:
    return org.change_rating(
        grade=m.grade,
        decided_on=day,
        valid_until=m.valid_until,
        evaluation_id=m.evaluation_id,
        reason=m.reason,
        announced_on=m.announced_on,
        valid_from=m.valid_from,
        override_reason=m.override_reason,
    )


# One line a command where the aggregate's method is all there is to it.
_DECIDE: dict[
    type[c.Command], Callable[[Organization, Any, date, Places], RegistryEvent | None]
] = {
    c.RegisterOrganization: _register,
    c.FileCommunityOrganization: _file,
    c.ChangeRegistration: _change,
    c.SubmitAnnualReport: _report,
    c.ConcludeInspection: lambda o, m, day, _: o.conclude_inspection(
        year=m.year, conclusion=m.conclusion, concluded_on=day
    ),
    c.RecogniseAsCharity: lambda o, m, day, _: o.recognise_as_charity(recognised_on=day),
    c.OrderDisposal: lambda o, m, day, _: o.order_disposal(
        ordered_on=day, due_on=m.due_on, reason=m.reason
    ),
    c.RevokeRegistration: lambda o, m, day, _: o.revoke_registration(
        revoked_on=day, reason=m.reason
    ),
    c.RevokeCertificate: lambda o, m, day, _: o.revoke_certificate(revoked_on=day, reason=m.reason),
    c.Deregister: lambda o, m, day, _: o.deregister(deregistered_on=day, reason=m.reason),
    c.ChangeRating: _rating,
    c.CancelFiling: lambda o, m, day, _: o.cancel_filing(
        how=m.how, cancelled_on=day, reason=m.reason
    ),
    c.ImposePenalty: lambda o, m, day, _: o.impose_penalty(
        penalty=m.penalty,
        decision_number=m.decision_number,
        decided_on=day,
        minor=m.minor,
        amount_yuan=m.amount_yuan,
        suspended_from=m.suspended_from,
        suspended_until=m.suspended_until,
        reason=m.reason,
    ),
    c.RecordPenaltyCarriedOut: lambda o, m, day, _: o.record_penalty_carried_out(
        decision_number=m.decision_number, carried_out_on=day
    ),
    c.CompleteRectification: lambda o, m, day, _: o.complete_rectification(
        ordered_on=m.ordered_on, completed_on=day
    ),
    c.RecordUnreachable: lambda o, m, day, _: o.record_unreachable(found_on=day, note=m.note),
    c.ListOnCredit: lambda o, m, day, _: o.list_on_credit(
        list=m.list,
        trigger=m.trigger,
        listed_on=day,
        decision_number=m.decision_number,
        basis=m.basis,
    ),
    c.DelistFromCredit: lambda o, m, day, _: o.delist_from_credit(
        list=m.list, reason=m.reason, delisted_on=day, decision_number=m.decision_number
    ),
}


def community_place(
    places: Places, community: object, street: object | None, urban: object | None
) -> tuple[str, bool]:
    """The street of a known community and whether it is urban, checked against `urban`."""
    place = places.require_community(community, street)
    assert place.parent_code is not None
    if urban is not None and place.urban is not None and urban != place.urban:
        kind = "居委会 (urban)" if place.urban else "村委会 (rural)"
        raise InvalidCommand(
            Refusal.INVALID_FIELD, f"community {place.code} {place.name} is a {kind}, urban={urban}"
        )
    if urban is None:
        urban = place.urban
    if not isinstance(urban, bool):
        raise InvalidCommand(
            Refusal.INVALID_FIELD,
            f"community {place.code} {place.name} is neither a 居委会 nor a 村委会: say urban",
        )
    return place.parent_code, urban


def _placed(places: Places, org: Organization, changes: Mapping[str, object]) -> dict[str, object]:
    out = dict(changes)
    if "domicile" in out and org.kind != "community_org":
        places.require(out["domicile"])
    if org.kind == "community_org" and "community" in out:
        street, urban = community_place(
            places, out["community"], out.get("street"), out.get("urban")
        )
        out |= {"street": street, "urban": urban}
    return out
