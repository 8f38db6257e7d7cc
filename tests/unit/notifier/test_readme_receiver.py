"""The README's webhook receiver works: its code, run as written, verifies a delivery the
notifier signs (domain/signing.py) with the `standardwebhooks` library, and refuses a forged one."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks.webhooks import WebhookVerificationError

from services.notifier.domain import signing

README = Path(__file__).parents[3] / "README.md"


def receiver() -> Any:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Receiving the notifier's webhooks", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None, "the README's notifier part has no Python receiver"
    space: dict[str, Any] = {}
    exec(compile(code.group(1), str(README), "exec"), space)  # the code of our own README
    return space["verified"]


def test_the_readme_receiver_verifies_a_signed_delivery_and_refuses_a_forged_one() -> None:
    verified = receiver()
    secret = signing.new_secret()
    event = {"id": "0b6c1c1e-0000-4000-8000-000000000001", "type": "socorg.notifier.zombie_flagged"}
    body = json.dumps(event).encode()
    headers = signing.headers([secret], event["id"], int(time.time()), body)
    assert verified(secret, body, headers) == event
    with pytest.raises(WebhookVerificationError):
        verified(secret, body.replace(b"zombie", b"zombi3"), headers)
    with pytest.raises(WebhookVerificationError):
        verified(signing.new_secret(), body, headers)
