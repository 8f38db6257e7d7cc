"""The one list of services: found from services/<name>/spec.py, and shared/ names none of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shared import catalog
from shared.contracts.base import all_contracts, check_producers

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # an import by name (importlib, uvicorn's "module:factory") counts as well
            if node.value.startswith("services.") and " " not in node.value:
                names.append(node.value)
    return names


def test_shared_imports_no_service() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "shared").rglob("*.py"))
        for name in imported_modules(path)
        if name == "services" or name.startswith("services.")
    ]
    assert found == []


def test_the_import_check_sees_an_import_of_a_service(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import services.metrics\nfrom services.registry.demo.cli import demo\n"
        "x = 'services.notifier.main:create_app'\n",
        encoding="utf-8",
    )
    assert imported_modules(module) == [
        "services.metrics",
        "services.registry.demo.cli",
        "services.notifier.main:create_app",
    ]


def test_every_service_folder_has_its_spec_and_they_come_in_port_order() -> None:
    folders = {p.parent.name for p in (ROOT / "services").glob("*/spec.py")}
    specs = catalog.specs()
    assert {s.name for s in specs} == folders
    assert [s.port for s in specs] == sorted(s.port for s in specs)


def test_the_specs_keep_the_services_ports_streams_and_variables() -> None:
    table = {s.name: (s.port, s.stream, s.env_prefix) for s in catalog.specs()}
    assert table == {
        "registry": (8001, "REGISTRY", "SOCORG_REGISTRY_"),
        "evaluation": (8002, "EVALUATION", "SOCORG_EVALUATION_"),
        "metrics": (8003, None, "SOCORG_METRICS_"),
        "notifier": (8004, "NOTIFIER", "SOCORG_NOTIFIER_"),
    }
    for spec in catalog.specs():
        assert spec.settings.model_config.get("env_prefix") == spec.env_prefix
        assert spec.migrations == ROOT / "services" / spec.name / "migrations"
        assert (spec.migrations / "versions").is_dir()
    assert catalog.producers() == ("registry", "evaluation", "notifier")


def test_each_contract_is_of_the_service_whose_spec_names_its_module() -> None:
    owners = {s.contracts: s.name for s in catalog.specs() if s.contracts}
    assert owners == {f"shared.contracts.{p}": p for p in ("registry", "evaluation", "notifier")}
    assert set(owners) <= {c.model.__module__ for c in all_contracts()}  # tests define more
    check_producers(owners)
    with pytest.raises(ValueError, match=r"evaluation\.grade_decided \(in shared"):
        check_producers({**owners, "shared.contracts.evaluation": "evaluaton"})


def test_an_unknown_service_is_named_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="one of: registry, evaluation, metrics, notifier"):
        catalog.get("registy")
    with pytest.raises(ValueError, match="metrics publishes no events"):
        catalog.stream_of("metrics")
