"""Settings of the metrics service: environment variables prefixed SOCORG_METRICS_."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class MetricsSettings(ServiceSettings):
    service: ClassVar[str] = "metrics"
    model_config = SettingsConfigDict(env_prefix="SOCORG_METRICS_", extra="ignore")

    port: int = 8003
