"""The metrics service as the platform sees it: settings, app, migrations, the projections of
REGISTRY its consumer runners feed; it publishes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from services.metrics.settings import MetricsSettings
from shared.spec import ServiceSpec

if TYPE_CHECKING:
    from shared.consumer import Projection
    from shared.http.app import Platform


def _projections(platform: Platform) -> Sequence[Projection]:
    from services.metrics.bootstrap import projections  # only once the platform is up

    return projections()


SPEC = ServiceSpec(
    name="metrics",
    settings=MetricsSettings,
    description=(
        "Projections of the plans' policy targets: shares, counts and densities per "
        "place, with forecasts and a dashboard."
    ),
    app="services.metrics.main:create_app",
    migrations=Path(__file__).parent / "migrations",
    projections=_projections,
)
