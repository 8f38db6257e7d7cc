"""Dates in requests as the OpenAPI writes them, YYYY-MM-DD only: pydantic alone would also take
a number (as a Unix time) or a datetime at midnight, which the schema does not admit."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
