"""Composition root of the metrics: its queries, reported values and projections.

`create_app` (main.py) calls `bootstrap` in the FastAPI lifespan; tests call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from services.metrics.adapters.places_file import load_place_counts
from services.metrics.adapters.reported import ReportedValues
from services.metrics.adapters.targets_file import load_target_sets
from services.metrics.app.queries import MetricsQueries
from services.metrics.consumers.evaluation import RatingPipeline
from services.metrics.consumers.registry import RegistryCounts
from services.metrics.domain.places import PlaceCounts
from shared.consumer import Projection


@dataclass(frozen=True)
class Metrics:
    queries: MetricsQueries
    reported: ReportedValues
    places: PlaceCounts


def projections() -> list[Projection]:
    return [RegistryCounts(), RatingPipeline()]


def bootstrap(engine: AsyncEngine, *, places_file: Path, targets_dir: Path) -> Metrics:
    places = load_place_counts(places_file)
    reported = ReportedValues(engine)
    queries = MetricsQueries(engine, places, reported, load_target_sets(targets_dir))
    return Metrics(queries=queries, reported=reported, places=places)
