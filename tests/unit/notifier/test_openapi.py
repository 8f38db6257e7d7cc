"""The notifier's OpenAPI describes its routes with examples and problem+json errors."""

from __future__ import annotations

from services.notifier.main import create_app
from services.notifier.settings import NotifierSettings


def test_the_openapi_has_the_zombie_and_scan_routes_with_examples() -> None:
    doc = create_app(NotifierSettings(database_url="sqlite:///unused.db")).openapi()
    paths = doc["paths"]
    assert {"/v1/zombies", "/v1/zombies/counts", "/v1/scans"} <= set(paths)
    assert "403" in paths["/v1/zombies"]["get"]["responses"]
    schemas = doc["components"]["schemas"]
    for name in ("CandidateRead", "ScanCreate", "ScanRead", "DistrictCount"):
        assert schemas[name].get("examples"), name
