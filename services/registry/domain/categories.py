"""The category taxonomy (分类) the plans count by: each category's code, name and kinds.

The taxonomy is data (services/registry/data/categories.csv, DOMAIN.md "Categories"); a
category is given by its Chinese name or its stable code and stored by name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from services.registry.domain.errors import InvalidCommand, Refusal
from shared.contracts.registry import Kind

KINDS: frozenset[str] = frozenset(
    {"social_group", "social_service_agency", "foundation", "community_org"}
)


@dataclass(frozen=True)
class Category:
    code: str  # stable, ASCII: what a target or a client matches on
    name: str  # as the plans write it, and as the register stores it
    kinds: frozenset[str]
    source: str = ""


class Categories:
    """Every known category, by name and by code."""

    def __init__(self, categories: Iterable[Category]) -> None:
        self._all = tuple(categories)
        self._by_key: dict[str, Category] = {}
        for c in self._all:
            unknown = c.kinds - KINDS
            if unknown:
                raise ValueError(f"category {c.code}: unknown kind(s) {', '.join(sorted(unknown))}")
            for key in (c.code, c.name):
                if key in self._by_key:
                    raise ValueError(f"category key {key!r} appears twice")
                self._by_key[key] = c

    def __iter__(self) -> Iterator[Category]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def get(self, key: str) -> Category | None:
        return self._by_key.get(key.strip())

    def for_kind(self, kind: str) -> list[Category]:
        return [c for c in self._all if kind in c.kinds]

    def require(self, key: str, kind: Kind | str) -> Category:
        """The category named (or coded) `key` for `kind`, or a refusal listing the known ones."""
        category = self.get(key)
        if category is None:
            raise InvalidCommand(
                Refusal.UNKNOWN_CATEGORY,
                f"category {key!r} is not a known category; "
                f"for {kind} the known ones are {self._known(kind)}",
            )
        if kind not in category.kinds:
            raise InvalidCommand(
                Refusal.UNKNOWN_CATEGORY,
                f"category {category.name} does not apply to {kind}; "
                f"its categories are {self._known(kind)}",
            )
        return category

    def _known(self, kind: Kind | str) -> str:
        """The names of `kind`'s categories, for a refusal (built only when one is made)."""
        return "、".join(c.name for c in self.for_kind(kind))


def parse_categories(text: str) -> Categories:
    """Categories from CSV text with columns code, name, kinds (space-separated), source."""
    rows = csv.DictReader(io.StringIO(text))
    return Categories(
        Category(
            code=r["code"].strip(),
            name=r["name"].strip(),
            kinds=frozenset(r["kinds"].split()),
            source=(r.get("source") or "").strip(),
        )
        for r in rows
    )


@cache
def shipped_categories() -> Categories:
    """The taxonomy the registry ships (package data, read once)."""
    text = resources.files("services.registry").joinpath("data/categories.csv").read_text("utf-8")
    return parse_categories(text)
