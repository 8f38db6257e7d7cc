"""The import row schema: one row per organization, with the later facts it has on file.

A row is a registration (`kind` social_group / social_service_agency / foundation) or a
community-organization filing (`kind` community_org). The domain checks the rest (codes,
places, dates against the organization's history); this schema only checks shapes and the
storage limits of the read model (services/registry/adapters/tables.py).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from services.registry.app.imports.credit_columns import (
    CreditListingIn,
    CreditRemovalIn,
    UnreachableIn,
)
from services.registry.app.imports.penalty_columns import PenaltyIn
from services.registry.app.types import (
    ActDate,
    Category,
    CreditCode,
    FilingNumber,
    LongText,
    Name,
    PlaceCode,
    ShortText,
    Year,
)

Conclusion = Literal[
    "合格", "基本合格", "不合格", "qualified", "basically_qualified", "unqualified"
]
End = Literal["deregistered", "registration_revoked", "注销", "撤销"]
# How an end is written in a row → the command it is (DOMAIN.md, Lifecycle).
END_OF: dict[str, Literal["deregistered", "registration_revoked"]] = {
    "deregistered": "deregistered",
    "注销": "deregistered",
    "registration_revoked": "registration_revoked",
    "撤销": "registration_revoked",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OverrideIn(Strict):
    allowed_by: ShortText
    reason: LongText


class ReportIn(Strict):
    year: Year
    submitted_on: ActDate
    staff_employed: Annotated[int, Field(ge=0, le=10**7)] | None = None
    conclusion: Conclusion | None = None
    concluded_on: ActDate | None = None


class RatingIn(Strict):
    grade: Literal["1A", "2A", "3A", "4A", "5A"] | None
    decided_on: ActDate
    valid_until: date | None = None


class EndIn(Strict):
    how: End
    on: ActDate
    reason: LongText


class Later(Strict):
    """Facts after 成立/备案 that the register keeps: reports, charity status, rating, end,
    penalties, and the credit lists' fact and decisions (credit_columns.py)."""

    charity_recognised_on: ActDate | None = None
    annual_reports: list[ReportIn] = Field(default_factory=list, max_length=200)
    rating: RatingIn | None = None
    end: EndIn | None = None
    penalties: list[PenaltyIn] = Field(default_factory=list, max_length=100)
    unreachable: list[UnreachableIn] = Field(default_factory=list, max_length=100)
    credit_listings: list[CreditListingIn] = Field(default_factory=list, max_length=100)
    credit_removals: list[CreditRemovalIn] = Field(default_factory=list, max_length=100)


class RegistrationRow(Later):
    kind: Literal["social_group", "social_service_agency", "foundation"]
    credit_code: CreditCode
    name: Name
    level: Literal["national", "province", "city", "county"]
    domicile: PlaceCode
    registered_on: ActDate
    category: Category | None = None
    registration_authority: PlaceCode | None = None
    legal_representative: ShortText | None = None
    supervisory_unit: ShortText | None = None
    registered_capital_yuan: Annotated[int, Field(ge=0, le=10**15)] | None = None
    business_scope: LongText | None = None
    code_override: OverrideIn | None = None

    @property
    def identifier(self) -> str:
        return self.credit_code


class FilingRow(Later):
    kind: Literal["community_org"]
    filing_number: FilingNumber
    name: Name
    community: PlaceCode
    filed_on: ActDate
    street: PlaceCode | None = None
    urban: bool | None = None
    category: Category | None = None

    @property
    def identifier(self) -> str:
        return self.filing_number


ImportRow = RegistrationRow | FilingRow
_ROW: TypeAdapter[ImportRow] = TypeAdapter(
    Annotated[RegistrationRow | FilingRow, Field(discriminator="kind")]
)


class RowInvalid(ValueError):
    """A row that does not fit the schema; `detail` names each field and what is wrong."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def parse_row(raw: object) -> ImportRow:
    if not isinstance(raw, dict):
        raise RowInvalid(f"a row is a JSON object, not {type(raw).__name__}")
    try:
        return _ROW.validate_python(raw)
    except ValidationError as exc:
        raise RowInvalid(_describe(exc)) from None


def identifier_of(raw: object) -> str | None:
    """The credit code or filing number of a row, as far as it can be read."""
    if not isinstance(raw, dict):
        return None
    for key in ("credit_code", "filing_number"):
        if isinstance(value := raw.get(key), str) and value:
            return value[:100]
    return None


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False)[:10]:
        where = ".".join(str(p) for p in error["loc"]) or "row"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
