"""Alembic for every service: the platform branch (shared/migrations) plus the service's own."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from shared import catalog

PLATFORM = Path(__file__).resolve().parent / "migrations"


def alembic_config(service: str, database_url: str) -> Config:
    """The platform's versions and those in the spec's migrations folder, on one database."""
    own = catalog.get(service).migrations / "versions"
    cfg = Config()
    cfg.set_main_option("script_location", str(PLATFORM))
    cfg.set_main_option("path_separator", "space")
    cfg.set_main_option("version_locations", f"{PLATFORM / 'versions'} {own}")
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(service: str, database_url: str, revision: str = "heads") -> None:
    """Bring a service's database to the newest schema (idempotent)."""
    command.upgrade(alembic_config(service, database_url), revision)
