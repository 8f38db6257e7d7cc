"""Settings of the registry service: environment variables prefixed SOCORG_REGISTRY_."""

from pathlib import Path
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.registry.adapters.places_file import DEFAULT_PLACES_FILE
from shared.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    service: ClassVar[str] = "registry"
    model_config = SettingsConfigDict(env_prefix="SOCORG_REGISTRY_", extra="ignore")

    port: int = 8001
    places_file: Path = Field(
        DEFAULT_PLACES_FILE,
        description="CSV of known places in the NBS format (services/registry/data/places.csv)",
    )
    zones_file: Path | None = Field(
        None,
        description="CSV of functional zones: code, name, parent_code, streets (space-separated); "
        "unset: the shipped services/registry/data/zones.csv with the shipped places",
    )
