"""Settings: environment variables per service; production refuses development secrets."""

from __future__ import annotations

import pytest
from pydantic import Field, SecretStr, ValidationError

from services.evaluation.settings import EvaluationSettings
from services.metrics.settings import MetricsSettings
from services.notifier.settings import NotifierSettings
from services.registry.settings import RegistrySettings
from shared.redact import SecretUrl
from shared.settings import DEV_API_KEY, ServiceSettings

EVERY_SERVICE = (RegistrySettings, EvaluationSettings, MetricsSettings, NotifierSettings)
PRODUCTION = {
    "MODE": "production",
    "DATABASE_URL": "postgresql://svc:db-Pa55word@db:5432/svc",
    "NATS_URL": "nats://svc:nats-Pa55word@nats-1:4222,nats://svc:nats-Pa55word@nats-2:4222",
}


def production_env(monkeypatch: pytest.MonkeyPatch, cls: type[ServiceSettings]) -> str:
    prefix = str(cls.model_config.get("env_prefix"))
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(prefix + name, value)
    if cls is EvaluationSettings:  # it records grades on the registry with a key of its own
        monkeypatch.setenv(prefix + "REGISTRY_API_KEY", "evaluation-key-Pa55word")
    return prefix


def test_evaluation_in_production_needs_its_own_registry_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prefix = production_env(monkeypatch, EvaluationSettings)
    monkeypatch.delenv(prefix + "REGISTRY_API_KEY")
    with pytest.raises(ValidationError, match="REGISTRY_API_KEY is required in production"):
        EvaluationSettings()


def test_each_service_reads_its_own_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCORG_REGISTRY_DATABASE_URL", "postgresql://u@db/registry")
    monkeypatch.setenv("SOCORG_NOTIFIER_PORT", "9999")
    assert RegistrySettings().database_url.get_secret_value() == "postgresql://u@db/registry"
    assert RegistrySettings().port == 8001
    assert NotifierSettings().port == 9999


def test_default_database_is_a_sqlite_file_per_service() -> None:
    assert RegistrySettings().database_url.get_secret_value() == "sqlite:///.data/registry.db"


def test_development_mode_accepts_the_development_key() -> None:
    assert RegistrySettings().effective_dev_key == DEV_API_KEY


def test_production_mode_has_no_development_key(monkeypatch: pytest.MonkeyPatch) -> None:
    production_env(monkeypatch, RegistrySettings)
    assert RegistrySettings().effective_dev_key is None


def test_production_mode_refuses_to_start_with_a_development_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    production_env(monkeypatch, RegistrySettings)
    monkeypatch.setenv("SOCORG_REGISTRY_DEV_API_KEY", "anything")
    with pytest.raises(ValidationError, match="SOCORG_REGISTRY_DEV_API_KEY"):
        RegistrySettings()


class WithSecret(RegistrySettings):
    signing_secret: SecretStr = Field(SecretStr("development-secret"))


def test_production_mode_refuses_default_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    production_env(monkeypatch, RegistrySettings)
    with pytest.raises(ValidationError, match="SIGNING_SECRET"):
        WithSecret()
    monkeypatch.setenv("SOCORG_REGISTRY_SIGNING_SECRET", "a real one")
    assert WithSecret().signing_secret.get_secret_value() == "a real one"


@pytest.mark.parametrize("cls", EVERY_SERVICE)
@pytest.mark.parametrize("left_default", ["DATABASE_URL", "NATS_URL"])
def test_production_mode_refuses_the_development_database_and_nats(
    monkeypatch: pytest.MonkeyPatch, cls: type[ServiceSettings], left_default: str
) -> None:
    prefix = production_env(monkeypatch, cls)
    assert cls().mode == "production"
    monkeypatch.delenv(prefix + left_default)
    with pytest.raises(ValidationError, match=f"{prefix}{left_default} still has its") as refused:
        cls()
    assert "Pa55word" not in str(refused.value)


@pytest.mark.parametrize("cls", EVERY_SERVICE)
def test_secret_settings_are_typed_secret_and_print_redacted(
    monkeypatch: pytest.MonkeyPatch, cls: type[ServiceSettings]
) -> None:
    production_env(monkeypatch, cls)
    settings = cls()
    assert isinstance(settings.database_url, SecretUrl) and isinstance(settings.nats_url, SecretUrl)
    assert cls.model_fields["dev_api_key"].annotation == SecretStr | None
    shown = f"{settings!r} {settings} {settings.database_url} {settings.nats_url}"
    assert "Pa55word" not in shown and "svc:***@db:5432" in shown and "svc:***@nats-2" in shown
    assert "Pa55word" not in settings.model_dump_json()
    assert settings.nats_url.get_secret_value() == PRODUCTION["NATS_URL"]
    own = {"evaluation-key-Pa55word"} if cls is EvaluationSettings else set()
    assert settings.secret_values() == {"db-Pa55word", "nats-Pa55word", *own}


def test_a_refused_setting_does_not_echo_the_urls_it_was_given() -> None:
    with pytest.raises(ValidationError) as refused:
        RegistrySettings(
            database_url="postgresql://u:db-Pa55word@db/r",
            nats_url="nats://u:nats-Pa55word@n:4222",
            database_pool_size=0,
        )
    assert "Pa55word" not in str(refused.value)


def test_unknown_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCORG_REGISTRY_MODE", "staging")
    with pytest.raises(ValidationError):
        RegistrySettings()


def test_the_relay_linger_comes_from_settings_in_milliseconds() -> None:
    from shared.outbox.config import RelayConfig

    assert RelayConfig.from_settings(RegistrySettings(relay_linger_ms=5)).linger == 0.005
    assert RelayConfig.from_settings(RegistrySettings()).linger == 0.05
    with pytest.raises(ValidationError):
        RegistrySettings(relay_linger_ms=-1)
    with pytest.raises(ValidationError):
        RegistrySettings(database_pool_size=0)


def test_the_consumers_max_wait_comes_from_settings_in_milliseconds() -> None:
    from shared.consumer import ConsumerConfig

    assert ConsumerConfig.from_settings(RegistrySettings()).fetch_timeout == 0.1
    assert (
        ConsumerConfig.from_settings(RegistrySettings(consumer_max_wait_ms=500)).fetch_timeout
        == 0.5
    )
    with pytest.raises(ValidationError):
        RegistrySettings(consumer_max_wait_ms=0)


def test_the_relay_idle_poll_comes_from_settings_in_milliseconds() -> None:
    from shared.outbox.config import RelayConfig

    assert RelayConfig.from_settings(RegistrySettings(relay_idle_poll_ms=20)).idle_poll == 0.02
    assert RelayConfig.from_settings(RegistrySettings()).idle_poll == 0.05
    with pytest.raises(ValidationError):
        RegistrySettings(relay_idle_poll_ms=0)
