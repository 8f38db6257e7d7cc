"""The indicators the metrics service computes, named by a small grammar (pure).

- `orgs`, `orgs.kind.<kind>`, `orgs.level.<level>`: legal-person organizations (社会团体,
  社会服务机构, 基金会) registered (依法登记: their registration in force); after 撤销登记 or
  吊销 an organization is in liquidation and only `orgs.status.in_liquidation` counts it, as
  every other indicator counts the registered alone; `orgs.category.<c>[+<c>…]`:
  organizations of any kind in those categories; `community_orgs[.urban|.rural]`: filed
  community organizations (社区社会组织);
- `share.category.<c>[+<c>…]`: percent of legal persons in those categories;
- `per_community.urban|rural`: community organizations per 居委会 / 村委会 of the area;
- `coverage.street|county.<category>`: percent of streets / counties of the area with at least
  one organization of that category in existence; `units.street|county.<category>`: how many;
- `grade3a.share.all|level.<level>[+<level>…]`: percent of legal persons rated 3A or above in
  force, among all or those registered at the levels; `grade.<grade>`, `grade3a.count`: how
  many hold that grade / 3A or above;
- `employed`: people employed, from each organization's latest annual report;
- `rating.pending.<grade>`, `rating.pending.3a[.level.<level>[+<level>…]]`: the rating
  pipeline (EVALUATION): legal persons whose grade the 评估委员会 has decided (that grade, or 3A
  or above — `3a` in lower case, as in `grade3a`; among those registered at the levels) and
  that does not hold yet on the register.
  An application counts from its grade_decided; a 复核 (objection_decided) that names another
  grade moves it to that grade from its day (the objection lodged last prevails, as in the
  evaluation); it stops counting on its withdrawal, or when the confirmed grade takes effect
  on the register (grade_confirmed's valid_from: the decision's own day under 39号, so a
  confirmed decision is then counted by `grade.*` alone; 1 January after the announcement
  under the 2026 revision). An organization re-evaluated while it holds a grade is counted
  here for the new decision and by `grade.*` for the grade in force;
- `rating.applications`: applications in progress (评估申请), from submission until withdrawn,
  excluded at the round's close, decided without a grade, or confirmed (its announcement);
- both counted at the organization's place on the register on each date, as the grades are
  (the round's authority is not a place: a city bureau's round rates organizations of every
  district);
- `reported.<name>`: a value reported through the API (no event can derive it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Measure = Literal[
    "count",
    "share",
    "per_community",
    "coverage",
    "units",
    "grade3a_share",
    "grade",
    "employed",
    "pending",
    "applications",
    "reported",
]
KINDS = ("social_group", "social_service_agency", "foundation", "community_org")
LEVELS = ("national", "province", "city", "county")
GRADES = ("1A", "2A", "3A", "4A", "5A")
THREE_A_UP = ("3A", "4A", "5A")
STATUSES = ("active", "in_liquidation")
LEGAL_PERSONS = ("social_group", "social_service_agency", "foundation")
APPLICATION = "application"  # the rating pipeline's rows of applications in progress


class UnknownIndicator(ValueError):
    pass


@dataclass(frozen=True)
class Indicator:
    name: str
    measure: Measure
    kinds: tuple[str, ...] = LEGAL_PERSONS
    levels: tuple[str, ...] = ()  # empty: any
    categories: tuple[str, ...] = ()  # empty: any
    urban: bool | None = None
    # registered (active) by default; in liquidation (after 撤销/吊销) only where named
    statuses: tuple[str, ...] = ("active",)
    unit_level: Literal["street", "county"] | None = None
    grades: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        return "%" if self.measure in ("share", "coverage", "grade3a_share") else ""


def parse(name: str) -> Indicator:
    parts = name.split(".", 2)
    head, rest = parts[0], parts[1:]
    try:
        return _parse(name, head, rest)
    except (IndexError, KeyError) as e:
        raise UnknownIndicator(f"unknown indicator {name!r}") from e


def _names(text: str) -> tuple[str, ...]:
    out = tuple(t for t in text.split("+") if t)
    if not out:
        raise KeyError(text)
    return out


def _parse(name: str, head: str, rest: list[str]) -> Indicator:
    match head, rest:
        case "orgs", []:
            return Indicator(name, "count")
        case "orgs", ["kind", kind] if kind in KINDS:
            return Indicator(name, "count", kinds=(kind,))
        case "orgs", ["level", levels] if set(_names(levels)) <= set(LEVELS):
            return Indicator(name, "count", levels=_names(levels))
        case "orgs", ["status", status] if status in STATUSES:
            return Indicator(name, "count", statuses=(status,))
        case "orgs", ["category", cats]:
            return Indicator(name, "count", kinds=KINDS, categories=_names(cats))
        case "community_orgs", []:
            return Indicator(name, "count", kinds=("community_org",))
        case "community_orgs", [side] if side in ("urban", "rural"):
            return Indicator(name, "count", kinds=("community_org",), urban=side == "urban")
        case "share", ["category", cats]:
            return Indicator(name, "share", categories=_names(cats))
        case "per_community", [side] if side in ("urban", "rural"):
            return Indicator(name, "per_community", kinds=("community_org",), urban=side == "urban")
        case ("coverage" | "units") as m, [unit, cat] if unit in ("street", "county"):
            return Indicator(
                name,
                m,
                kinds=KINDS,
                categories=(cat,),
                unit_level=unit,  # type: ignore[arg-type]
            )
        case "grade3a", ["share", "all"]:
            return Indicator(name, "grade3a_share")
        case "grade3a", ["share", scope] if scope.startswith("level."):
            scoped = _names(scope.removeprefix("level."))
            if not set(scoped) <= set(LEVELS):
                raise KeyError(scope)
            return Indicator(name, "grade3a_share", levels=scoped)
        case "grade3a", ["count"]:
            return Indicator(name, "grade", grades=THREE_A_UP)
        case "grade", [grade] if grade in GRADES:
            return Indicator(name, "grade", grades=(grade,))
        case "employed", []:
            return Indicator(name, "employed", kinds=KINDS)
        case "rating", ["pending", grade] if grade in GRADES:
            return Indicator(name, "pending", grades=(grade,))
        case "rating", ["pending", "3a"]:
            return Indicator(name, "pending", grades=THREE_A_UP)
        case "rating", ["pending", scope] if scope.startswith("3a.level."):
            scoped = _names(scope.removeprefix("3a.level."))
            if not set(scoped) <= set(LEVELS):
                raise KeyError(scope)
            return Indicator(name, "pending", levels=scoped, grades=THREE_A_UP)
        case "rating", ["applications"]:
            return Indicator(name, "applications", grades=(APPLICATION,))
        case "reported", [what] if what:
            return Indicator(name, "reported")
    raise KeyError(name)


def pending_of(name: str) -> str | None:
    """The pipeline indicator shown beside a 3A+ indicator: the decisions of 3A or above not yet
    in force, among the same organizations (`grade3a.share.level.city` →
    `rating.pending.3a.level.city`); None for any other indicator."""
    ind = parse(name)
    if ind.measure not in ("grade3a_share", "grade") or ind.grades not in ((), THREE_A_UP):
        return None
    levels = "+".join(ind.levels)
    return "rating.pending.3a" + (f".level.{levels}" if levels else "")


# What `GET /v1/indicators` lists for a place when no indicator is named.
STANDARD = (
    "orgs",
    "orgs.kind.social_group",
    "orgs.kind.social_service_agency",
    "orgs.kind.foundation",
    "orgs.level.city",
    "orgs.level.county",
    "orgs.status.in_liquidation",
    "community_orgs",
    "community_orgs.urban",
    "community_orgs.rural",
    "per_community.urban",
    "per_community.rural",
    "grade.3A",
    "grade.4A",
    "grade.5A",
    "grade3a.share.all",
    "grade3a.share.level.city",
    "employed",
)
