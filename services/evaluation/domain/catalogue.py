"""The indicator frameworks and grade thresholds a locality offers its rounds, by name."""

from __future__ import annotations

from dataclasses import dataclass

from services.evaluation.domain.errors import UnknownFramework
from services.evaluation.domain.framework import Framework
from services.evaluation.domain.thresholds import Thresholds


@dataclass(frozen=True)
class Catalogue:
    frameworks: dict[str, Framework]
    thresholds: dict[str, Thresholds]

    def framework(self, name: str) -> Framework:
        if name not in self.frameworks:
            raise UnknownFramework(f"no framework {name!r}; known: {', '.join(self.frameworks)}")
        return self.frameworks[name]

    def grades(self, name: str) -> Thresholds:
        if name not in self.thresholds:
            raise UnknownFramework(f"no thresholds {name!r}; known: {', '.join(self.thresholds)}")
        return self.thresholds[name]
