"""Settings of the evaluation service: environment variables prefixed SOCORG_EVALUATION_."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class EvaluationSettings(ServiceSettings):
    service: ClassVar[str] = "evaluation"
    model_config = SettingsConfigDict(env_prefix="SOCORG_EVALUATION_", extra="ignore")

    port: int = 8002
