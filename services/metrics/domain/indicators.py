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
    "reported",
]
KINDS = ("social_group", "social_service_agency", "foundation", "community_org")
LEVELS = ("national", "province", "city", "county")
GRADES = ("1A", "2A", "3A", "4A", "5A")
THREE_A_UP = ("3A", "4A", "5A")
STATUSES = ("active", "in_liquidation")
LEGAL_PERSONS = ("social_group", "social_service_agency", "foundation")


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
        case "reported", [what] if what:
            return Indicator(name, "reported")
    raise KeyError(name)


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
