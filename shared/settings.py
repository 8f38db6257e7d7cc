"""Settings every service shares; each service subclasses with its own env prefix.

Every setting is an environment variable: `SOCORG_<SERVICE>_<FIELD>` (e.g.
`SOCORG_REGISTRY_DATABASE_URL`). docs/configuration.md lists them all.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Accepted only in development mode; a production start with it configured is refused.
DEV_API_KEY = "socorg-dev-key-not-for-production"


class ServiceSettings(BaseSettings):
    """Fields common to every service. Subclasses set `service` and the env prefix."""

    service: ClassVar[str] = ""
    model_config = SettingsConfigDict(extra="ignore", validate_default=True)

    mode: Literal["development", "production"] = Field(
        "development", description="`production` refuses development keys and default secrets"
    )
    database_url: str = Field(
        "", description="SQLAlchemy URL, sqlite:///path or postgresql://user@host/db"
    )
    database_pool_size: int = Field(
        20,
        ge=1,
        le=500,
        description="PostgreSQL connections kept open (as many as requests served at once)",
    )
    nats_url: str = Field("nats://127.0.0.1:14222", description="NATS server(s), comma-separated")
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    dev_api_key: str | None = Field(
        None,
        description="the development key (default: the built-in one); never in production",
    )
    idempotency_ttl_hours: int = Field(24, ge=1, description="how long Idempotency-Keys live")
    idempotency_sweep_seconds: float = Field(
        3600.0, gt=0, description="how often expired Idempotency-Keys are removed"
    )
    shutdown_grace_seconds: float = Field(10.0, ge=0)
    relay_enabled: bool = Field(True, description="run the relay in this process (producers)")
    relay_metrics_port: int = Field(
        0,
        ge=0,
        le=65535,
        description="`socorg relay`: serve Prometheus metrics on HOST at this port (0: none)",
    )
    relay_batch_size: int = Field(1000, ge=1, le=10_000)
    relay_linger_ms: float = Field(
        20.0,
        ge=0,
        le=1000,
        description="after emptying the outbox, how long the relay gathers events "
        "before the next read",
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
        if not self.database_url:
            self.database_url = f"sqlite:///.data/{self.service or 'service'}.db"
        if self.mode != "production":
            return self
        prefix = (self.model_config.get("env_prefix") or "").upper()
        if self.dev_api_key is not None:
            raise ValueError(f"{prefix}DEV_API_KEY must not be set in production mode")
        for name, info in type(self).model_fields.items():
            extra: Any = info.json_schema_extra or {}
            if extra.get("secret") and getattr(self, name) == info.default:
                raise ValueError(
                    f"{prefix}{name.upper()} still has its development default; "
                    "set a real secret for production"
                )
        return self

    @property
    def effective_dev_key(self) -> str | None:
        if self.mode != "development":
            return None
        return self.dev_api_key or DEV_API_KEY
