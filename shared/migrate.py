"""Alembic for every service: the platform branch (shared/migrations) plus the service's own."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from shared.catalog import SERVICES

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(service: str, database_url: str) -> Config:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; one of {', '.join(SERVICES)}")
    cfg = Config()
    here = ROOT / "shared" / "migrations"
    own = ROOT / "services" / service / "migrations" / "versions"
    cfg.set_main_option("script_location", str(here))
    cfg.set_main_option("path_separator", "space")
    cfg.set_main_option("version_locations", f"{here / 'versions'} {own}")
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(service: str, database_url: str, revision: str = "heads") -> None:
    """Bring a service's database to the newest schema (idempotent)."""
    command.upgrade(alembic_config(service, database_url), revision)
