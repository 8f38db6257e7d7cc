"""Settings of the registry service: environment variables prefixed SOCORG_REGISTRY_."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    service: ClassVar[str] = "registry"
    model_config = SettingsConfigDict(env_prefix="SOCORG_REGISTRY_", extra="ignore")

    port: int = 8001
