"""Which publish failures are NATS refusing a message for good, not NATS being away or slow."""

from __future__ import annotations

from nats.errors import MaxPayloadError
from nats.js.errors import APIError, ServerError, ServiceUnavailableError

from shared.outbox.reader import OutboxRow

# JetStream's "wrong last msg ID": a predecessor did not land; resuming from what the stream
# holds (_resync) is the cure, so it is not a refusal of the message itself.
WRONG_LAST = {10070, 10071}  # wrong last msg ID, wrong last sequence


class Refused(Exception):
    """NATS refused one message for good: sending it again would meet the same answer."""

    def __init__(self, row: OutboxRow, error: str) -> None:
        super().__init__(error)
        self.row = row
        self.error = error


def is_refusal(exc: BaseException) -> bool:
    """Whether a publish failed for the message itself, not because NATS is away or slow."""
    if isinstance(exc, MaxPayloadError):
        return True
    if isinstance(exc, APIError) and not isinstance(exc, ServiceUnavailableError | ServerError):
        return exc.err_code not in WRONG_LAST
    return False
