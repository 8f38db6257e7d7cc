"""The indicator framework (评估指标体系) a round scores against: sections of indicators, each
with its maximum points (1000 in all by default), read from a versioned data file per locality."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.evaluation.domain.errors import (
    IndicatorMissing,
    IndicatorUnknown,
    InvalidFramework,
    ScoreOutOfRange,
)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    max_points: float


@dataclass(frozen=True)
class Section:
    """A section such as 基础条件 / 内部治理 / 工作绩效 / 社会评价."""

    name: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Framework:
    id: str  # the file's name: <locality>-v<version>
    locality: str
    version: int
    sections: tuple[Section, ...]
    source: str = ""

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {i.code: i for s in self.sections for i in s.indicators}

    @property
    def total(self) -> float:
        return sum(i.max_points for i in self.indicators.values())

    def total_of(self, scores: Mapping[str, float]) -> float:
        """The sheet's total; refused if an indicator is missing or unknown, or a score lies
        outside 0 … its maximum."""
        known = self.indicators
        if unknown := sorted(scores.keys() - known.keys()):
            raise IndicatorUnknown(
                f"no indicator {', '.join(unknown)} in {self.id}", indicators=unknown
            )
        if missing := sorted(known.keys() - scores.keys()):
            raise IndicatorMissing(
                f"the sheet lacks {', '.join(missing)} of {self.id}", indicators=missing
            )
        out = [
            {"indicator": c, "score": v, "max_points": known[c].max_points}
            for c, v in sorted(scores.items())
            if not 0 <= v <= known[c].max_points
        ]
        if out:
            text = ", ".join(f"{o['indicator']}={o['score']} (0–{o['max_points']})" for o in out)
            raise ScoreOutOfRange(f"scores outside their range: {text}", scores=out)
        return round(sum(scores.values()), 2)


def framework_from(name: str, data: Mapping[str, Any]) -> Framework:
    """A framework from its file's JSON; refused (InvalidFramework) if malformed."""
    try:
        sections = tuple(
            Section(
                s["name"],
                tuple(
                    Indicator(i["code"], i["name"], float(i["max_points"])) for i in s["indicators"]
                ),
            )
            for s in data["sections"]
        )
        framework = Framework(
            name, data["locality"], int(data["version"]), sections, data.get("source", "")
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidFramework(f"framework {name}: {exc!r}") from exc
    codes = [i.code for s in sections for i in s.indicators]
    if len(codes) != len(set(codes)) or not codes:
        raise InvalidFramework(f"framework {name}: indicator codes must be unique, and some")
    if any(i.max_points <= 0 for i in framework.indicators.values()):
        raise InvalidFramework(f"framework {name}: every maximum must be positive")
    if "total" in data and float(data["total"]) != framework.total:
        raise InvalidFramework(f"framework {name}: sums to {framework.total}, not {data['total']}")
    return framework
