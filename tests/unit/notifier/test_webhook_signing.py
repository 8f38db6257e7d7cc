"""Standard Webhooks signatures: the spec's test vector, secrets, and a rotation's two
signatures, each verified by the `standardwebhooks` library."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from services.notifier.domain import signing
from services.notifier.domain.subscriptions import Subscription

# The example of the spec's README (standard-webhooks/standard-webhooks, "Signature scheme").
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_signature_is_the_specs_test_vector() -> None:
    assert signing.signature(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    signed = datetime.fromtimestamp(SPEC_TIMESTAMP, UTC)
    assert Webhook(SPEC_SECRET).sign(SPEC_ID, signed, SPEC_BODY) == SPEC_SIGNATURE


def test_headers_verify_with_the_standardwebhooks_library() -> None:
    secret = signing.new_secret()
    body = '{"id":"e-1","data":{"名称":"协会"}}'.encode()
    headers = signing.headers([secret], "e-1", int(time.time()), body)
    assert Webhook(secret).verify(body, headers) == {"id": "e-1", "data": {"名称": "协会"}}
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b" ", headers)


def test_new_secrets_are_whsec_base64_of_32_random_bytes() -> None:
    a, b = signing.new_secret(), signing.new_secret()
    assert a.startswith("whsec_") and a != b
    assert len(signing.key_of(a)) == 32


@pytest.mark.parametrize(
    "bad",
    ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!", "whsec_c2hvcnQ="],
)
def test_bad_secrets_are_refused(bad: str) -> None:
    with pytest.raises(signing.BadSecret):
        signing.key_of(bad)


def test_during_a_rotation_old_and_new_secret_both_sign_then_only_the_new() -> None:
    old, new = signing.new_secret(), signing.new_secret()
    now = datetime.now(UTC)
    sub = Subscription(
        "s", "c", "https://x.example", ("zombie_flagged",), None, new, old, now + timedelta(hours=1)
    )
    secrets = sub.signing_secrets(now)
    assert secrets == [new, old]
    body = b'{"id":"e-2"}'
    headers = signing.headers(secrets, "e-2", int(now.timestamp()), body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert all(s.startswith("v1,") for s in headers["webhook-signature"].split(" "))
    Webhook(old).verify(body, headers)  # a receiver not yet told of the new secret
    Webhook(new).verify(body, headers)  # and one already changed over
    assert sub.signing_secrets(now + timedelta(hours=2)) == [new]


def test_a_subscription_wants_its_types_in_its_area() -> None:
    sub = Subscription("s", "c", "u", ("zombie_flagged",), "420100", "whsec_x")
    assert sub.wants("zombie_flagged", "420106")
    assert not sub.wants("zombie_cleared", "420106")
    assert not sub.wants("zombie_flagged", "420200")  # 黄石, outside 武汉
    assert not sub.wants("zombie_flagged", None)
    everywhere = Subscription("s", "c", "u", ("zombie_flagged",), None, "whsec_x")
    assert everywhere.wants("zombie_flagged", "330203")
    paused = Subscription("s", "c", "u", ("zombie_flagged",), None, "whsec_x", active=False)
    assert not paused.wants("zombie_flagged", "330203")
