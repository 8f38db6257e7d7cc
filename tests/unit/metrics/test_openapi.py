"""The metrics API's OpenAPI: every operation of its own carries an example, errors are
problem+json."""

from __future__ import annotations

from typing import Any

from services.metrics.main import create_app

SPEC = create_app().openapi()
OWN = ("/v1/target-sets", "/v1/indicators", "/v1/reported")


def _schema(ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    ref = ref_or_schema.get("$ref") or ref_or_schema.get("items", {}).get("$ref")
    if ref is None:
        return ref_or_schema
    found: dict[str, Any] = SPEC["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return found


def _has_example(op: dict[str, Any]) -> bool:
    if any(
        "example" in p or "examples" in p or "examples" in p.get("schema", {})
        for p in op.get("parameters", [])
    ):
        return True
    for part in [op.get("requestBody", {}), *op.get("responses", {}).values()]:
        for media in part.get("content", {}).values():
            if "example" in media or "examples" in _schema(media.get("schema", {})):
                return True
    return False


def test_every_operation_has_an_example_and_problem_responses() -> None:
    ops = [
        (path, method, op)
        for path, item in SPEC["paths"].items()
        if path.startswith(OWN)
        for method, op in item.items()
    ]
    assert len(ops) == 9
    for path, method, op in ops:
        assert _has_example(op), f"{method} {path}"
        assert "403" in op["responses"], f"{method} {path}"
        success = next(c for c in op["responses"] if c.startswith("2"))
        for media in op["responses"][success].get("content", {}).values():
            assert "example" in media or "examples" in _schema(media["schema"]), f"{method} {path}"
