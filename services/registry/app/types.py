"""Field types of registry commands (API bodies and import rows): storable text, bounded values.

Every text, number and list is bounded (docs/operations.md, Limits), so that the largest
command the schemas accept makes an event well under the store's EVENT_MAX_BYTES.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from services.registry.domain.credit_code import normalise_credit_code
from shared.http.dates import IsoDate

# No organization on a register of the PRC predates it; the bound also keeps every act date
# convertible to a timestamp in Asia/Shanghai and UTC.
EARLIEST = date(1949, 10, 1)


def _storable(value: str) -> str:
    """PostgreSQL text cannot hold NUL, and UTF-8 cannot hold lone surrogates."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from exc
    return value


# `_storable`'s rule in the JSON Schema, so that what the schema admits the API takes. (Not on
# a dict key such as FigureName: pydantic writes a key's pattern as patternProperties, which
# would say that other keys may hold anything.)
_NO_NUL = Field(json_schema_extra={"pattern": "^[^\\u0000]*$"})


def _pasted_code(value: object) -> object:
    return normalise_credit_code(value) if isinstance(value, str) else value


def _not_before_earliest(value: date) -> date:
    if value < EARLIEST:
        raise ValueError(f"dates on the register start on {EARLIEST}")
    return value


Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_storable), _NO_NUL]
Category = Annotated[str, Field(min_length=1, max_length=50), AfterValidator(_storable), _NO_NUL]
ShortText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_storable), _NO_NUL]
LongText = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_storable), _NO_NUL]
FilingNumber = Annotated[
    str, Field(min_length=1, max_length=100), AfterValidator(_storable), _NO_NUL
]
# A code as pasted (spaces, lower case, full-width) is normalised first, so a body, an import
# row and a look-up by code all see the stored form (DOMAIN.md, 统一社会信用代码).
CreditCode = Annotated[
    str,
    BeforeValidator(_pasted_code),
    Field(min_length=1, max_length=18),
    AfterValidator(_storable),
    _NO_NUL,
]
PlaceCode = Annotated[str, Field(pattern=r"^[0-9]{6}([0-9]{3}){0,2}$", examples=["420106"])]
# The same bound in the JSON Schema, which has no minimum for dates: 1949-10-01 or later.
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|[12][0-9]))"
)
_FROM_EARLIEST = rf"^(?:(?:19[5-9][0-9]|[2-9][0-9]{{3}})-{_MONTH_DAY}|1949-1[0-2]-[0-3][0-9])$"
ActDate = Annotated[
    IsoDate,
    AfterValidator(_not_before_earliest),
    Field(json_schema_extra={"pattern": _FROM_EARLIEST}),
]
Yuan = Annotated[int, Field(ge=0, le=10**15)]
Staff = Annotated[int, Field(ge=0, le=10**7)]
Year = Annotated[int, Field(ge=EARLIEST.year, le=9998)]
Figure = Annotated[float, Field(allow_inf_nan=False)]
FigureName = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_storable)]
# An annual report's financial statements (资产负债表, 业务活动表, 现金流量表) have some 150 lines
# together; 500 leave room, and at most about 170 KB of event.
MAX_FIGURES = 500
Figures = Annotated[dict[FigureName, Figure], Field(max_length=MAX_FIGURES)]
OrganizationId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
