"""Settings of the metrics service: environment variables prefixed SOCORG_METRICS_."""

from pathlib import Path
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.metrics.adapters.places_file import DEFAULT_PLACES_FILE
from services.metrics.adapters.targets_file import DEFAULT_TARGETS_DIR
from shared.settings import ServiceSettings


class MetricsSettings(ServiceSettings):
    service: ClassVar[str] = "metrics"
    model_config = SettingsConfigDict(env_prefix="SOCORG_METRICS_", extra="ignore")

    port: int = 8003
    places_file: Path = Field(
        DEFAULT_PLACES_FILE,
        description="CSV of places the denominators come from: the registry's own file",
    )
    targets_dir: Path = Field(
        DEFAULT_TARGETS_DIR,
        description="directory of target sets, one TOML file per plan",
    )
