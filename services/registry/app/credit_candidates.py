"""The credit-list candidates of a place as of a day: each organization there folded to that
day (its acts dated by then) and the domain's candidate rules applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.registry.app.queries import RegistryQueries
from services.registry.app.search import Filters
from services.registry.domain.credit_candidates import Candidate, candidates
from services.registry.domain.errors import InvalidCommand, Refusal
from shared.rules.reporting import ReportingConfig

PAGE = 200
CAP = 5_000  # organizations folded per request; a wider place is narrowed by its caller


@dataclass(frozen=True)
class Proposed:
    organization_id: str
    name: str
    candidate: Candidate


async def credit_candidates(
    queries: RegistryQueries, reporting: ReportingConfig, *, place: str, on: date
) -> tuple[list[Proposed], int, bool]:
    """The proposals, the organizations read, and whether every one of the place was read."""
    if on > queries.clock.today():
        raise InvalidCommand(Refusal.DATE_IN_FUTURE, f"on {on} is after today")
    out: list[Proposed] = []
    read, cursor = 0, None
    while read < CAP:
        found = await queries.search(Filters(place=place), limit=PAGE, cursor=cursor)
        for row in found.rows:
            if row["kind"] == "community_org" or row["registered_on"] > on:
                continue
            read += 1
            org = await queries.organization(row["id"], as_of=on)
            out += [
                Proposed(org.organization_id, org.name or "", c)
                for c in candidates(org, on, reporting)
            ]
        cursor = found.next_cursor
        if cursor is None:
            return out, read, True
    return out, read, False
