"""The shapes of the demo registers: how many organizations of each sort, and where.

`ningbo` is the published snapshot in ../shared/seeds/ningbo-reply-to-proposal-333.txt
(DOMAIN.md, "Policy targets"): every count below is from that reply. `wuhan` and `national`
are plausible shapes for demos and benchmarks, not published figures (said where they are).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

LegalKind = Literal["social_group", "social_service_agency", "foundation"]
KINDS: tuple[LegalKind, ...] = ("social_group", "social_service_agency", "foundation")
GRADES = ("5A", "4A", "3A")


@dataclass(frozen=True)
class Profile:
    name: str
    cities: tuple[str, ...]  # GB/T 2260 city codes whose places the register spreads over
    legal: dict[LegalKind, int]  # legal-person organizations by kind, every level
    city_level: dict[LegalKind, int]  # of which registered by the city bureau (市级)
    urban: int  # community organizations filed in 居委会 communities
    rural: int  # … and in 村委会 communities
    rated: dict[str, int]  # legal persons rated 3A and above, by grade
    # Not in the published figures. The counts above are organizations in existence (as the
    # Ningbo reply counts them), so ended ones come on top of them, as shares of those counts.
    zombies: float = 0.05  # of the unrated: stopped reporting 2+ years before the last year
    deregistered: float = 0.03  # 注销, on top of the legal persons in existence
    revoked: float = 0.01  # 撤销登记 (in liquidation), on top as well
    community_ended: float = 0.02  # 注销 of filed community organizations, on top
    source: str = ""
    extras: dict[str, str] = field(default_factory=dict)
    # The day a published snapshot counts on: every registration, filing and end falls on or
    # before it, so the counts above are the organizations in existence that day (and still
    # are when the facts end). None: spread over the whole span of the facts.
    as_of: date | None = None

    def scaled(self, factor: float) -> Profile:
        """Every count times `factor` (rounded), shares kept: a small register of this shape."""

        def s(counts: dict[str, int]) -> dict[str, int]:
            return {k: round(v * factor) for k, v in counts.items()}

        return replace(
            self,
            legal=s(self.legal),  # type: ignore[arg-type]
            city_level=s(self.city_level),  # type: ignore[arg-type]
            urban=round(self.urban * factor),
            rural=round(self.rural * factor),
            rated=s(self.rated),
        )

    @property
    def legal_total(self) -> int:
        return sum(self.legal.values())

    def ended(self, kind: LegalKind) -> tuple[int, int]:
        """How many of `kind` were revoked (撤销) and deregistered (注销), beyond `legal`."""
        return round(self.legal[kind] * self.revoked), round(self.legal[kind] * self.deregistered)

    def community_ended_of(self, filed: int) -> int:
        return round(filed * self.community_ended)

    @property
    def in_existence(self) -> int:
        """The organizations the published figures count: every one not ended."""
        return self.legal_total + self.urban + self.rural

    @property
    def total(self) -> int:
        """Every row generated: those in existence and the ended ones on top."""
        ended = sum(sum(self.ended(k)) for k in KINDS)
        filed_ended = self.community_ended_of(self.urban) + self.community_ended_of(self.rural)
        return self.in_existence + ended + filed_ended


NINGBO = Profile(
    name="ningbo",
    cities=("330200",),
    # ningbo-reply-to-proposal-333.txt: 10224 legal persons (2627 / 7528 / 69)
    legal={"social_group": 2627, "social_service_agency": 7528, "foundation": 69},
    # same reply: 市级 1039 (603 / 400 / 36)
    city_level={"social_group": 603, "social_service_agency": 400, "foundation": 36},
    # same reply: 48847 community organizations, 18003 urban and 30844 rural
    urban=18003,
    rural=30844,
    # same reply, "截至2022年底": 1293 rated 3A+ (257 5A, 334 4A, 702 3A)
    rated={"5A": 257, "4A": 334, "3A": 702},
    source="ningbo-reply-to-proposal-333.txt",
    as_of=date(2023, 6, 15),  # the reply's date; its ratings are as of the end of 2022
)

WUHAN = Profile(
    name="wuhan",
    cities=("420100",),
    # plausible, not published: a register about 80% the size of Ningbo's
    legal={"social_group": 2900, "social_service_agency": 5200, "foundation": 120},
    city_level={"social_group": 620, "social_service_agency": 310, "foundation": 70},
    # wuhan-community-org-capacity-plan.txt: on average 20 per urban and 5 per rural
    # community, over the 1,516 居委会 and 1,925 村委会 of the places file
    urban=20 * 1516,
    rural=5 * 1925,
    # wuhan-three-year-action-plan §一(三)11 asks 全市 3A+ >= 5%: a register just past it
    rated={"5A": 90, "4A": 140, "3A": 200},
    source="wuhan-community-org-capacity-plan.txt (community densities); the rest plausible",
)

NATIONAL = Profile(
    name="national",
    cities=("330200", "420100", "511800"),
    # benchmark scale, about 1,000,000 organizations over every place of the file; the
    # legal-person mix follows the national register's (about 42% / 57% / 1%)
    legal={"social_group": 126_000, "social_service_agency": 171_000, "foundation": 3_000},
    city_level={"social_group": 19_000, "social_service_agency": 11_000, "foundation": 1_500},
    urban=300_000,
    rural=400_000,
    rated={"5A": 2_000, "4A": 3_000, "3A": 7_000},
    source="benchmark shape, not published",
)

PROFILES = {p.name: p for p in (NINGBO, WUHAN, NATIONAL)}
