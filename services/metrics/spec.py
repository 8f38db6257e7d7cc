"""The metrics service as the platform sees it: settings, app, migrations; it publishes nothing."""

from pathlib import Path

from services.metrics.settings import MetricsSettings
from shared.spec import ServiceSpec

SPEC = ServiceSpec(
    name="metrics",
    settings=MetricsSettings,
    description=(
        "Projections of the plans' policy targets: shares, counts and densities per "
        "place, with forecasts and a dashboard."
    ),
    app="services.metrics.main:create_app",
    migrations=Path(__file__).parent / "migrations",
)
