"""Settings of the notifier service: environment variables prefixed SOCORG_NOTIFIER_."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class NotifierSettings(ServiceSettings):
    service: ClassVar[str] = "notifier"
    model_config = SettingsConfigDict(env_prefix="SOCORG_NOTIFIER_", extra="ignore")

    port: int = 8004
