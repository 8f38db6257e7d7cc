"""Bad input from the notifier's own OpenAPI (tests/integration/openapi_fuzz.py): never a 5xx,
every 4xx problem+json, and every answer the one the document says.

Every `/v1` operation is run in both modes against a notifier holding a subscription with a
delivery, a flag and reminders, so the path parameters reach real rows (not only 404). A request
that fits the schema may still be refused with 422 by a rule no JSON Schema says (a webhook URL
the SSRF rule refuses); it must then carry the rule's own refusal code, not `validation`.
"""

from __future__ import annotations

from tests.integration.notifier import test_webhooks
from tests.integration.notifier.test_reminders import register
from tests.integration.notifier.test_webhooks import DEV, World, settled, subscribe
from tests.integration.openapi_fuzz import fuzz

world = test_webhooks.world  # the notifier served with a webhook receiver (the fixture)


async def test_bad_input_never_breaks_the_notifier_api(world: World) -> None:
    w = world
    sub = await subscribe(w, "fuzz", event_types=["report_overdue", "zombie_flagged"])
    await register(w.db)
    assert (await w.api.post("/v1/scans", json={"on": "2025-06-01"})).status_code == 200
    [delivery, *_] = await settled(w, sub["id"])
    for day in ("0001-01-01", "9999-12-31"):  # the rules look a year back and ahead
        r = await w.api.post("/v1/scans", json={"on": day})
        assert r.status_code == 422 and r.json()["type"] == "urn:socorg:problem:validation"
    fixed = {"subscription_id": [sub["id"]], "delivery_id": [str(delivery["id"])]}
    statuses = await fuzz(w.base, headers=DEV, fixed=fixed, refusals=["409"])
    assert statuses.total() > 100
    assert statuses[200] and statuses[422]


async def test_a_nul_in_an_id_or_a_cursor_is_refused_as_the_schema_says(world: World) -> None:
    # PostgreSQL text cannot hold NUL: once, these reached a query and answered 500.
    for path in (
        "/v1/zombies?after=%00",
        "/v1/subscriptions?after=%00",
        "/v1/subscriptions/%00",
        "/v1/subscriptions/a%00b/deliveries",
        "/v1/subscriptions/%00/attempts",
    ):
        r = await world.api.get(path)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["type"] == "urn:socorg:problem:validation", path
