"""Domain modules are pure: no FastAPI, SQLAlchemy, nats or httpx (STYLE.md habit 1)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"fastapi", "starlette", "sqlalchemy", "nats", "httpx", "alembic", "uvicorn"}


def imported_roots(source: str) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def domain_files() -> list[Path]:
    return sorted(ROOT.glob("services/*/domain/**/*.py"))


def test_every_service_has_a_domain_package() -> None:
    for service in ("registry", "evaluation", "metrics", "notifier"):
        assert (ROOT / "services" / service / "domain" / "__init__.py").exists()


def test_domain_modules_import_no_framework_or_io_library() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path.read_text()) & FORBIDDEN)
        for path in domain_files()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_purity_check_catches_a_forbidden_import() -> None:
    assert imported_roots("from sqlalchemy import select\nimport nats.js\n") == {
        "sqlalchemy",
        "nats",
    }
    assert imported_roots("from . import rules\n") == set()
