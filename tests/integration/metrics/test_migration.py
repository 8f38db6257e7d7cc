"""The metrics migration makes the table its model describes (on SQLite; PostgreSQL alike)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect

from services.metrics.adapters.reported import reported
from shared.migrate import upgrade


def test_the_metrics_migration_makes_the_reported_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'metrics.db'}"
    upgrade("metrics", url)
    upgrade("metrics", url)  # idempotent
    engine = create_engine(url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("metrics_reported")}
    finally:
        engine.dispose()
    assert columns == {c.name for c in reported.columns}
