"""The notifier's OpenAPI describes its routes with examples and problem+json errors."""

from __future__ import annotations

from services.notifier.main import create_app
from services.notifier.settings import NotifierSettings


def test_the_openapi_has_the_zombie_reminder_and_scan_routes_with_examples() -> None:
    doc = create_app(NotifierSettings(database_url="sqlite:///unused.db")).openapi()
    paths = doc["paths"]
    assert {"/v1/zombies", "/v1/zombies/counts", "/v1/scans", "/v1/reminders"} <= set(paths)
    assert "403" in paths["/v1/zombies"]["get"]["responses"]
    assert "403" in paths["/v1/reminders"]["get"]["responses"]
    assert {"403", "409", "422"} <= set(paths["/v1/scans"]["post"]["responses"])
    schemas = doc["components"]["schemas"]
    for name in (
        "CandidateRead",
        "ScanCreate",
        "ScanRead",
        "DistrictCount",
        "ReminderRead",
        "ReminderPage",
    ):
        assert schemas[name].get("examples"), name


def test_the_counts_speak_the_campaign_words_of_the_yaan_plan() -> None:
    # seeds/yaan-empowerment-action-plan-2023-2025.txt, 二(四): "注销一批、整改一批、激活一批"
    doc = create_app(NotifierSettings(database_url="sqlite:///unused.db")).openapi()
    counts = doc["paths"]["/v1/zombies/counts"]["get"]["description"]
    assert "注销一批、整改一批、激活一批" in counts
    fields = doc["components"]["schemas"]["DistrictCount"]["properties"]
    said = {name: fields[name]["description"] for name in ("removed", "rectifying", "activated")}
    assert ("注销一批" in said["removed"], "整改一批" in said["rectifying"]) == (True, True)
    assert "激活一批" in said["activated"]
    assert "清除" not in str(doc)


def test_the_openapi_has_the_webhook_routes_with_examples_and_problems() -> None:
    doc = create_app(NotifierSettings(database_url="sqlite:///unused.db")).openapi()
    paths = doc["paths"]
    expected = {
        ("/v1/subscriptions", "post"): {"403", "422"},
        ("/v1/subscriptions", "get"): {"403"},
        ("/v1/subscriptions/{subscription_id}", "get"): {"403", "404"},
        ("/v1/subscriptions/{subscription_id}", "patch"): {"403", "404", "422"},
        ("/v1/subscriptions/{subscription_id}", "delete"): {"403", "404"},
        ("/v1/subscriptions/{subscription_id}/deliveries", "get"): {"403", "404"},
        ("/v1/subscriptions/{subscription_id}/attempts", "get"): {"403", "404"},
        ("/v1/deliveries", "get"): {"403"},
        ("/v1/deliveries/{delivery_id}", "get"): {"403", "404"},
        ("/v1/deliveries/{delivery_id}/redeliver", "post"): {"403", "404", "409"},
    }
    for (path, method), problems in expected.items():
        operation = paths[path][method]
        assert problems <= set(operation["responses"]), (path, method)
        assert operation.get("summary") and operation.get("description"), (path, method)
    schemas = doc["components"]["schemas"]
    for name in (
        "SubscriptionCreate",
        "SubscriptionUpdate",
        "SubscriptionRead",
        "SubscriptionCreated",
        "SubscriptionPage",
        "DeliveryRead",
        "DeliveryDetail",
        "DeliveryPage",
        "AttemptRead",
        "AttemptPage",
    ):
        assert schemas[name].get("examples"), name


def test_the_subscribable_event_types_are_the_notifier_contracts() -> None:
    from typing import get_args

    from services.notifier.api.webhook_schemas import EventType
    from shared.contracts import all_contracts

    assert sorted(get_args(EventType)) == sorted(c.name for c in all_contracts("notifier"))
