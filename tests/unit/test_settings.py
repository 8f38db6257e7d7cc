"""Settings: environment variables per service; production refuses development secrets."""

from __future__ import annotations

import pytest
from pydantic import Field, ValidationError

from services.notifier.settings import NotifierSettings
from services.registry.settings import RegistrySettings
from shared.settings import DEV_API_KEY


def test_each_service_reads_its_own_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCORG_REGISTRY_DATABASE_URL", "postgresql://u@db/registry")
    monkeypatch.setenv("SOCORG_NOTIFIER_PORT", "9999")
    assert RegistrySettings().database_url == "postgresql://u@db/registry"
    assert RegistrySettings().port == 8001
    assert NotifierSettings().port == 9999


def test_default_database_is_a_sqlite_file_per_service() -> None:
    assert RegistrySettings().database_url == "sqlite:///.data/registry.db"


def test_development_mode_accepts_the_development_key() -> None:
    assert RegistrySettings().effective_dev_key == DEV_API_KEY


def test_production_mode_has_no_development_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCORG_REGISTRY_MODE", "production")
    assert RegistrySettings().effective_dev_key is None


def test_production_mode_refuses_to_start_with_a_development_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOCORG_REGISTRY_MODE", "production")
    monkeypatch.setenv("SOCORG_REGISTRY_DEV_API_KEY", "anything")
    with pytest.raises(ValidationError, match="SOCORG_REGISTRY_DEV_API_KEY"):
        RegistrySettings()


class WithSecret(RegistrySettings):
    signing_secret: str = Field("development-secret", json_schema_extra={"secret": True})


def test_production_mode_refuses_default_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCORG_REGISTRY_MODE", "production")
    with pytest.raises(ValidationError, match="SIGNING_SECRET"):
        WithSecret()
    monkeypatch.setenv("SOCORG_REGISTRY_SIGNING_SECRET", "a real one")
    assert WithSecret().signing_secret == "a real one"


def test_unknown_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCORG_REGISTRY_MODE", "staging")
    with pytest.raises(ValidationError):
        RegistrySettings()


def test_the_relay_linger_comes_from_settings_in_milliseconds() -> None:
    from shared.relay import RelayConfig

    assert RelayConfig.from_settings(RegistrySettings(relay_linger_ms=5)).linger == 0.005
    assert RelayConfig.from_settings(RegistrySettings()).linger == 0.02
    with pytest.raises(ValidationError):
        RegistrySettings(relay_linger_ms=-1)
    with pytest.raises(ValidationError):
        RegistrySettings(database_pool_size=0)
