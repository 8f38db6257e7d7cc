"""Load the target sets from their data files (services/metrics/data/targets/*.toml)."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any, cast

from services.metrics.domain import indicators
from services.metrics.domain.targets import COMPARISONS, Comparison, Target, TargetSet
from shared.places import is_place_code

DEFAULT_TARGETS_DIR = Path(__file__).resolve().parent.parent / "data" / "targets"


class BadTargetFile(ValueError):
    pass


def load_target_sets(directory: Path | str = DEFAULT_TARGETS_DIR) -> dict[str, TargetSet]:
    sets: dict[str, TargetSet] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        found = _target_set(path, tomllib.loads(path.read_text(encoding="utf-8")))
        if found.id in sets:
            raise BadTargetFile(f"{path}: target set {found.id!r} appears twice")
        sets[found.id] = found
    return sets


def _target_set(path: Path, raw: dict[str, Any]) -> TargetSet:
    try:
        place = str(raw["place"])
        if not is_place_code(place):
            raise BadTargetFile(f"{path}: place {place!r} is not a place code")
        targets = tuple(_target(path, t) for t in raw["targets"])
        ids = [t.id for t in targets]
        if len(set(ids)) != len(ids):
            raise BadTargetFile(f"{path}: a target id appears twice")
        return TargetSet(
            id=str(raw["id"]),
            title=str(raw["title"]),
            plan=str(raw["plan"]),
            place=place,
            start=_date(path, raw["start"]),
            targets=targets,
        )
    except KeyError as e:
        raise BadTargetFile(f"{path}: missing {e.args[0]!r}") from e


def _date(path: Path, value: object) -> date:
    if not isinstance(value, date):
        raise BadTargetFile(f"{path}: {value!r} is not a date")
    return value


def _target(path: Path, raw: dict[str, Any]) -> Target:
    comparison = raw["comparison"]
    if comparison not in COMPARISONS:
        raise BadTargetFile(f"{path}: target {raw.get('id')}: comparison {comparison!r}")
    try:
        indicator = indicators.parse(str(raw["indicator"]))
    except indicators.UnknownIndicator as e:
        raise BadTargetFile(f"{path}: target {raw.get('id')}: {e}") from e
    return Target(
        id=str(raw["id"]),
        clause=str(raw["clause"]),
        wording=str(raw["wording"]),
        indicator=indicator.name,
        comparison=cast(Comparison, comparison),
        threshold=float(raw["threshold"]),
        deadline=_date(path, raw["deadline"]),
        aim=bool(raw["aim"]),
        unit=str(raw.get("unit", indicator.unit)),
        place=raw.get("place"),
        check=bool(raw.get("check", False)),
    )
