"""The evaluation's OpenAPI: every operation has an example and declares its problem+json errors."""

from __future__ import annotations

from typing import Any

import pytest

from services.evaluation.main import create_app
from services.evaluation.settings import EvaluationSettings

ROUTES = {
    ("/v1/eligibility/{organization_id}", "get"): {"403", "404", "422"},
    ("/v1/organizations/{organization_id}/investigations", "post"): {"403", "404", "409", "422"},
    ("/v1/organizations/{organization_id}/investigations", "get"): {"403", "404"},
    (
        "/v1/organizations/{organization_id}/investigations/{investigation_id}/closure",
        "post",
    ): {"403", "404", "409", "422"},
    ("/v1/rounds", "post"): {"403", "404", "409", "422"},
    ("/v1/rounds", "get"): {"403"},
    ("/v1/rounds/{round_id}", "get"): {"403", "404", "422"},
    ("/v1/rounds/{round_id}/closure", "post"): {"403", "404", "409", "422"},
    ("/v1/rounds/{round_id}/applications", "post"): {"403", "404", "409", "422"},
    ("/v1/applications/{application_id}", "get"): {"403", "404"},
    ("/v1/objections/overdue", "get"): {"403"},
    ("/v1/registry-records", "get"): {"403", "422"},
    ("/v1/rating-changes", "get"): {"403", "422"},
    ("/v1/rating-changes/{reaction_id}", "get"): {"403", "404"},
    **{
        (f"/v1/rating-changes/{{reaction_id}}/{step}", "post"): {"403", "404", "409", "422"}
        for step in ("confirmation", "dismissal", "closure")
    },
    ("/v1/expiry-scans", "post"): {"403", "409", "422"},
    ("/v1/follow-up-draws", "post"): {"403", "409", "422"},
    ("/v1/follow-up-draws/{authority}/{year}", "get"): {"403", "404"},
    ("/v1/publicity/{authority}", "get"): {"422"},
    ("/v1/publicity/{authority}/atom", "get"): {"422"},
    ("/v1/registry-records/{evaluation_id}/retry", "post"): {"403", "404", "409"},
    **{
        (f"/v1/applications/{{application_id}}/{step}", "post"): {"403", "404", "409", "422"}
        for step in (
            "withdrawal",
            "sheets",
            "decision",
            "publication",
            "objections",
            "objections/{objection_id}/decision",
            "confirmation",
        )
    },
}


def schema_has_example(doc: dict[str, Any], content: dict[str, Any]) -> bool:
    if "application/atom+xml" in content:
        return bool(content["application/atom+xml"].get("example"))
    ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    return bool(doc["components"]["schemas"][ref].get("examples"))


def test_every_operation_has_examples_and_its_problems() -> None:
    doc = create_app(EvaluationSettings(database_url="sqlite:///unused.db")).openapi()
    for (path, method), problems in ROUTES.items():
        op = doc["paths"][path][method]
        assert problems <= set(op["responses"]), (path, method)
        for status in problems:
            assert "application/problem+json" in op["responses"][status]["content"]
        ok = op["responses"]["201" if "201" in op["responses"] else "200"]
        assert schema_has_example(doc, ok["content"]), (path, method)
        if "requestBody" in op:
            assert schema_has_example(doc, op["requestBody"]["content"]), (path, method)


def test_every_operation_is_covered_here() -> None:
    doc = create_app(EvaluationSettings(database_url="sqlite:///unused.db")).openapi()
    ours = {
        (path, method)
        for path, ops in doc["paths"].items()
        for method in ops
        if path.startswith(
            (
                "/v1/rounds",
                "/v1/applications",
                "/v1/objections",
                "/v1/registry-records",
                "/v1/rating-changes",
                "/v1/expiry-scans",
                "/v1/publicity",
            )
        )
    }
    assert ours <= set(ROUTES)


def test_locality_switches_are_checked_at_start() -> None:
    settings = EvaluationSettings(
        database_url="sqlite:///unused.db", eligibility_rules_off="credit_listed"
    )
    assert settings.switches().off == frozenset({"credit_listed"})
    with pytest.raises(ValueError, match="always applies"):
        EvaluationSettings(database_url="sqlite:///unused.db", eligibility_rules_off="ended")


def test_the_publicity_board_asks_for_no_key() -> None:
    doc = create_app(EvaluationSettings(database_url="sqlite:///unused.db")).openapi()
    for path in ("/v1/publicity/{authority}", "/v1/publicity/{authority}/atom"):
        op = doc["paths"][path]["get"]
        assert "403" not in op["responses"] and not op.get("security"), path
