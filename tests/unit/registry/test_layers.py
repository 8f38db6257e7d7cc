"""The registry's application layer talks to ports only: no SQLAlchemy, no adapters in app/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / "services" / "registry" / "app"


def imported_modules(source: str) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def forbidden(module: str) -> bool:
    return (
        module.split(".")[0] in {"sqlalchemy", "psycopg", "fastapi", "starlette"}
        or module.startswith("services.registry.adapters")
        or module == "shared.eventstore.sql"
    )


def test_the_application_layer_imports_no_sql_and_no_adapter() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path.read_text()) if forbidden(m)
        )
        for path in sorted(APP.rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_catches_an_adapter_import() -> None:
    source = "from services.registry.adapters.read_model import project\nimport sqlalchemy.exc\n"
    assert sorted(m for m in imported_modules(source) if forbidden(m)) == [
        "services.registry.adapters.read_model",
        "sqlalchemy.exc",
    ]


def test_registry_files_stay_small() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in sorted((ROOT / "services" / "registry").rglob("*.py"))
        if (n := len(p.read_text().splitlines())) > 300
    }
    assert long == {}
