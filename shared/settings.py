"""Settings every service shares; each service subclasses with its own env prefix.

Every setting is an environment variable: `SOCORG_<SERVICE>_<FIELD>` (e.g.
`SOCORG_REGISTRY_DATABASE_URL`). docs/configuration.md lists them all. Settings that hold a
secret are typed `SecretStr` (URLs with credentials: `SecretUrl`), so they print as *** and
production mode can refuse the ones left at their development default.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.redact import SecretUrl, secret_values

# Accepted only in development mode; a production start with it configured is refused.
DEV_API_KEY = "socorg-dev-key-not-for-production"


class ServiceSettings(BaseSettings):
    """Fields common to every service. Subclasses set `service` and the env prefix."""

    service: ClassVar[str] = ""
    # hide_input: a refusal must not print the URLs (and their passwords) it was given
    model_config = SettingsConfigDict(
        extra="ignore", validate_default=True, hide_input_in_errors=True
    )

    mode: Literal["development", "production"] = Field(
        "development", description="`production` refuses development keys and default secrets"
    )
    database_url: SecretUrl = Field(
        SecretUrl(""),
        description="SQLAlchemy URL, sqlite:///path or postgresql://user:password@host/db",
    )
    database_pool_size: int = Field(
        20,
        ge=1,
        le=500,
        description="PostgreSQL connections kept open (as many as requests served at once)",
    )
    nats_url: SecretUrl = Field(
        SecretUrl("nats://127.0.0.1:14222"),
        description="NATS server(s), comma-separated, credentials in the URL if any",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    dev_api_key: SecretStr | None = Field(
        None,
        description="the development key (default: the built-in one); never in production",
    )
    idempotency_ttl_hours: int = Field(24, ge=1, description="how long Idempotency-Keys live")
    idempotency_sweep_seconds: float = Field(
        3600.0, gt=0, description="how often expired Idempotency-Keys are removed"
    )
    idempotency_claim_timeout_seconds: float = Field(
        60.0,
        gt=0,
        description=(
            "a claimed Idempotency-Key with neither response nor write after this long belongs to "
            "a request that died (process killed): a retry takes it over"
        ),
    )
    shutdown_grace_seconds: float = Field(10.0, ge=0)
    event_max_bytes: int = Field(
        256 * 1024,
        ge=4096,
        le=8 * 1024 * 1024,
        description="the largest event stored (data and metadata, UTF-8 bytes); keep it well "
        "under NATS max_payload (1 MiB by default)",
    )
    relay_enabled: bool = Field(True, description="run the relay in this process (producers)")
    relay_metrics_port: int = Field(
        0,
        ge=0,
        le=65535,
        description="`socorg relay`: serve Prometheus metrics on HOST at this port (0: none)",
    )
    consumer_max_wait_ms: float = Field(
        100.0,
        gt=0,
        le=60_000,
        description="consumers: how long a fetch that found the stream empty waits for its "
        "batch to fill before applying what came (the lag a trickle of events sees)",
    )
    relay_batch_size: int = Field(1000, ge=1, le=10_000)
    relay_idle_poll_ms: float = Field(
        50.0,
        gt=0,
        le=60_000,
        description="how often an idle relay reads the outbox: a relay in a process of its "
        "own is not woken by the API's commits, so this is the lag it adds to a quiet outbox",
    )
    relay_linger_ms: float = Field(
        50.0,
        ge=0,
        le=1000,
        description="after emptying the outbox, how long the relay gathers events "
        "before the next read (as long as an idle relay waits: a trickle then costs one "
        "read, publish and checkpoint per interval, and its consumers fuller batches)",
    )
    relay_blocked_retry_seconds: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="how often the relay tries an event NATS refused again (or sees it skipped)",
    )
    feed_heartbeat_seconds: float = Field(
        15.0, gt=0, description="idle heartbeat interval of the HTTP event stream"
    )
    stream_replicas: int = Field(
        1, ge=1, le=5, description="JetStream replicas of the service's stream (3 in a cluster)"
    )
    relay_duplicate_window_hours: float = Field(
        24.0, gt=0, description="JetStream de-duplication window: the longest outage designed for"
    )

    @model_validator(mode="after")
    def _production_refuses_defaults(self) -> ServiceSettings:
        if self.mode == "production":
            self._refuse_default_secrets()
        if not self.database_url.get_secret_value():
            self.database_url = SecretUrl(f"sqlite:///.data/{self.service or 'service'}.db")
        return self

    def _refuse_default_secrets(self) -> None:
        """Production names its own database, NATS and secrets: a default is in the source."""
        prefix = (self.model_config.get("env_prefix") or "").upper()
        if self.dev_api_key is not None:
            raise ValueError(f"{prefix}DEV_API_KEY must not be set in production mode")
        for name, info in type(self).model_fields.items():
            if info.default is None or not isinstance(info.default, SecretStr):
                continue
            if getattr(self, name) == info.default:
                raise ValueError(
                    f"{prefix}{name.upper()} still has its development default; "
                    "set it (a real secret) for production"
                )

    def secret_values(self) -> set[str]:
        """Every secret these settings hold (passwords, tokens, keys), for log scrubbing."""
        found: set[str] = set()
        for name in type(self).model_fields:
            found |= secret_values(getattr(self, name))
        return found

    @property
    def effective_dev_key(self) -> str | None:
        if self.mode != "development":
            return None
        return self.dev_api_key.get_secret_value() if self.dev_api_key else DEV_API_KEY
