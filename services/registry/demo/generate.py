"""Generate a demo register's import rows, deterministic by seed, one row at a time.

Exact counts are kept while streaming by selection sampling (Knuth's Algorithm S): of n rows
still to come, k still to pick, a row is picked with probability k/n — so a million rows need
no list of them. Facts run to 31 May 2025 (the 2024 reports are in), annual reports from 2019.
A profile's counts are the organizations in existence (as published); the ended ones are
generated on top of them. A profile with a snapshot date (`as_of`, Ningbo's reply) has every
registration, filing and end on or before it, so the counts hold on that date.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.registry.demo import words
from services.registry.demo.profiles import GRADES, KINDS, LegalKind, Profile
from services.registry.domain.credit_code import ALPHABET, TYPE_DIGIT_OF_KIND, make_credit_code
from services.registry.domain.places import Place, Places

FIRST_REPORT_YEAR, LAST_REPORT_YEAR = 2019, 2024
ON_FILE_UNTIL = date(2025, 5, 31)
LAST_REGISTERED, LAST_FILED = date(2024, 12, 31), date(2025, 4, 30)
CHARITY_LAW = date(2016, 9, 1)  # 慈善法 in force: recognition (慈善组织认定) from then on
Row = dict[str, Any]


class Picker:
    """Pick exactly k of the next n calls, each subset equally likely (Algorithm S)."""

    def __init__(self, k: int, n: int) -> None:
        self.k, self.n = min(k, n), n

    def take(self, rng: random.Random) -> bool:
        hit = self.n > 0 and rng.random() * self.n < self.k
        self.n -= 1
        self.k -= hit
        return hit


@dataclass(frozen=True)
class Area:
    """The places a profile spreads over: communities by type, and the names of places."""

    urban: list[Place]
    rural: list[Place]
    places: Places

    @classmethod
    def of(cls, places: Places, cities: tuple[str, ...]) -> Area:
        urban = [c for city in cities for c in places.communities(city, urban=True)]
        rural = [c for city in cities for c in places.communities(city, urban=False)]
        return cls(urban, rural, places)

    def name(self, code: str) -> str:
        return self.places.name(code) or code


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


class Generator:
    def __init__(self, profile: Profile, places: Places, seed: int) -> None:
        self.p = profile
        self.rng = random.Random(seed)
        self.area = Area.of(places, profile.cities)
        # a run's codes start at a seed-dependent body, so two seeds never share a code
        self.serial = self.rng.randrange(31**5)
        # the last day of registrations, filings and ends (a snapshot's day, if any); a filing
        # that ends does so on a later day, so filings stop the day before
        snap = profile.as_of
        self.last_registered = LAST_REGISTERED if snap is None else min(LAST_REGISTERED, snap)
        self.last_end = ON_FILE_UNTIL if snap is None else min(ON_FILE_UNTIL, snap)
        last_filed = LAST_FILED if snap is None else snap - timedelta(days=1)
        self.last_filed = min(LAST_FILED, last_filed)

    def rows(self) -> Iterator[Row]:
        yield from self._legal_persons()
        yield from self._community_orgs()

    # ---- legal persons -----------------------------------------------------------------

    def _legal_persons(self) -> Iterator[Row]:
        """The organizations in existence (the published counts), then the ended on top."""
        p, rng, n = self.p, self.rng, self.p.legal_total
        rated = Picker(sum(p.rated.values()), n)
        grades = [
            Picker(p.rated[g], sum(p.rated[h] for h in GRADES[i:])) for i, g in enumerate(GRADES)
        ]
        unrated = n - sum(p.rated.values())
        zombie = Picker(round(unrated * p.zombies), unrated)
        for kind in KINDS:
            city = Picker(p.city_level[kind], p.legal[kind])
            for _ in range(p.legal[kind]):
                row = self._registration(kind, city.take(rng))
                if rated.take(rng):
                    grade = next(
                        g for g, pick in zip(GRADES, grades, strict=True) if pick.take(rng)
                    )
                    self._rated(row, grade)
                elif zombie.take(rng):
                    self._zombie(row)
                else:
                    self._reports(row, last=LAST_REPORT_YEAR)
                yield row
        for kind in KINDS:
            yield from self._ended_of(kind)

    def _ended_of(self, kind: LegalKind) -> Iterator[Row]:
        """Organizations of `kind` that ended: not in the published counts, beside them."""
        revoked, deregistered = self.p.ended(kind)
        city_share = self.p.city_level[kind] / max(1, self.p.legal[kind])
        for i in range(revoked + deregistered):
            row = self._registration(kind, self.rng.random() < city_share)
            if i < revoked:
                self._ended(row, "撤销", "连续两年未参加年检，予以撤销登记")
            else:
                self._ended(row, "注销", "自行申请注销登记")
            yield row

    def _registration(self, kind: LegalKind, city_level: bool) -> Row:
        rng = self.rng
        # most organizations sit in towns; one in ten has its domicile in a village
        community = rng.choice(self.area.urban if rng.random() < 0.9 else self.area.rural)
        street = community.parent_code or community.code[:9]
        county = street[:6]
        authority = county[:4] + "00" if city_level else county
        prefix = self.area.name(authority)
        category, name = self._legal_name(kind, prefix)
        self.serial += 1
        body = "MJ" + _base31(self.serial, 6)
        registered = _day(rng, date(1995, 1, 1), self.last_registered)
        return {
            "kind": kind,
            "credit_code": make_credit_code(TYPE_DIGIT_OF_KIND[kind], authority, body),
            "name": name,
            "level": "city" if city_level else "county",
            "domicile": street,
            "registered_on": registered.isoformat(),
            "category": category,
            "legal_representative": rng.choice("王李张刘陈杨黄赵吴周徐孙")
            + rng.choice("伟芳娜敏静丽强磊军洋勇艳杰涛明超"),
        }

    def _legal_name(self, kind: LegalKind, prefix: str) -> tuple[str, str]:
        rng = self.rng
        if kind == "social_group":
            category = rng.choice(list(words.GROUP_TOPICS))
            topic = rng.choice(words.GROUP_TOPICS[category])
            return category, prefix + topic + rng.choice(words.GROUP_SUFFIXES)
        if kind == "foundation":
            return "公益慈善类", prefix + rng.choice(words.FOUNDATION_TOPICS) + "基金会"
        weights = words.AGENCY_WEIGHTS
        category = rng.choices(list(weights), weights=list(weights.values()))[0]
        kind_of = rng.choice(words.AGENCY_TYPES[category])
        return category, prefix + rng.choice(words.AGENCY_BRANDS) + kind_of

    def _reports(self, row: Row, *, last: int, until: date = ON_FILE_UNTIL) -> None:
        """年报 for each year from 2019 (or registration) to `last`, with 年检 conclusions."""
        rng = self.rng
        registered = date.fromisoformat(row["registered_on"])
        charity = row.get("charity_recognised_on")
        charity_year = date.fromisoformat(charity).year if charity else None
        reports = []
        for year in range(max(FIRST_REPORT_YEAR, registered.year), last + 1):
            # DOMAIN.md, deadlines: foundations, and charities from the year of recognition,
            # by 31 March; the others by 31 May
            early = row["kind"] == "foundation" or (
                charity_year is not None and year >= charity_year
            )
            submitted = _day(rng, date(year + 1, 1, 5), date(year + 1, 3 if early else 5, 28))
            if submitted > until or rng.random() < 0.02:  # now and then a year is missed
                continue
            report: Row = {"year": year, "submitted_on": submitted.isoformat()}
            report["staff_employed"] = rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 35))
            if year < LAST_REPORT_YEAR:  # the bureau concludes within the year after
                concluded = submitted + timedelta(days=rng.randint(20, 90))
                report["conclusion"] = rng.choices(("合格", "基本合格", "不合格"), (90, 7, 3))[0]
                report["concluded_on"] = min(concluded, until).isoformat()
            reports.append(report)
        if reports:
            row["annual_reports"] = reports

    def _rated(self, row: Row, grade: str) -> None:
        """等级评估 decided in 2021–2022, 5 years valid (民政部令第39号 art. 28)."""
        rng = self.rng
        decided = _day(rng, date(2021, 11, 1), date(2022, 12, 20))
        # eligible only after two full years registered (39号 art. 6)
        registered = _day(rng, date(1995, 1, 1), date(decided.year - 3, 12, 31))
        row["registered_on"] = registered.isoformat()
        # recognised first: a charity's reports from that year are due by 31 March
        if row["kind"] == "foundation" or rng.random() < 0.05:
            start = max(CHARITY_LAW, registered + timedelta(days=365))
            row["charity_recognised_on"] = _day(rng, start, date(2024, 12, 31)).isoformat()
        self._reports(row, last=LAST_REPORT_YEAR)
        until = date(decided.year + 5, decided.month, decided.day) - timedelta(days=1)
        row["rating"] = {
            "grade": grade,
            "decided_on": decided.isoformat(),
            "valid_until": until.isoformat(),
        }

    def _zombie(self, row: Row) -> None:
        """Stopped reporting: nothing on file for at least the last two years (DOMAIN.md)."""
        rng = self.rng
        registered = _day(rng, date(1995, 1, 1), date(2021, 6, 30))
        row["registered_on"] = registered.isoformat()
        last = rng.randint(max(FIRST_REPORT_YEAR, registered.year) - 1, LAST_REPORT_YEAR - 2)
        self._reports(row, last=last)

    def _ended(self, row: Row, how: str, reason: str) -> None:
        registered = date.fromisoformat(row["registered_on"])
        first = max(registered + timedelta(days=200), date(2019, 6, 1))
        last = self.last_end
        on = _day(self.rng, first, last) if first < last else max(registered, last)
        self._reports(row, last=on.year - 1, until=on - timedelta(days=1))
        row["end"] = {"how": how, "on": on.isoformat(), "reason": reason}

    # ---- community organizations ------------------------------------------------------

    def _community_orgs(self) -> Iterator[Row]:
        p, rng = self.p, self.rng
        for urban, count, where in (
            (True, p.urban, self.area.urban),
            (False, p.rural, self.area.rural),
        ):
            # the counts are the filed organizations in existence; the ended come on top
            ended = p.community_ended_of(count)
            for i in range(count + ended):
                row = self._filing(rng.choice(where), urban)
                if i >= count:
                    filed = date.fromisoformat(row["filed_on"])
                    on = _day(rng, filed + timedelta(days=1), self.last_end)
                    row["end"] = {
                        "how": "注销",
                        "on": on.isoformat(),
                        "reason": "活动停止，申请注销",
                    }
                yield row

    def _filing(self, community: Place, urban: bool) -> Row:
        rng = self.rng
        topics = dict(words.COMMUNITY_TOPICS)
        if not urban:
            topics |= words.RURAL_TOPICS
        category = rng.choice(list(topics))
        filed = _day(rng, date(2015, 1, 1), self.last_filed)
        self.serial += 1
        street = community.parent_code or community.code[:9]
        return {
            "kind": "community_org",
            "filing_number": f"{street}备{filed.year}-{self.serial:07d}",
            "name": words.community_short(community.name) + rng.choice(topics[category]),
            "community": community.code,
            "filed_on": filed.isoformat(),
            "category": category,
        }


def _base31(n: int, width: int) -> str:
    digits = []
    for _ in range(width):
        n, r = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[r])
    return "".join(reversed(digits))


def generate(profile: Profile, places: Places, *, seed: int = 1) -> Iterator[Row]:
    """Every row of the profile's register, in a fixed order for a given seed."""
    return Generator(profile, places, seed).rows()
