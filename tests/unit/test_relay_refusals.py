"""Which publish failures hold the relay at an event (a refusal) and which are retried."""

from __future__ import annotations

import nats.errors
import nats.js.errors as js_errors
import pytest

from shared.outbox.refusal import is_refusal


@pytest.mark.parametrize(
    "failure",
    [
        nats.errors.MaxPayloadError(),
        js_errors.BadRequestError(code=400, err_code=10054, description="message size exceeds"),
        js_errors.APIError(code=400, err_code=10060, description="expected stream does not match"),
    ],
)
def test_a_refusal_of_the_message_itself_holds_the_relay(failure: Exception) -> None:
    assert is_refusal(failure)


@pytest.mark.parametrize(
    "failure",
    [
        TimeoutError(),
        nats.errors.TimeoutError(),
        nats.errors.ConnectionClosedError(),
        nats.errors.OutboundBufferLimitError(),
        nats.errors.NoRespondersError(),
        js_errors.NoStreamResponseError(),
        js_errors.ServiceUnavailableError(code=503, description="JetStream not ready"),
        js_errors.ServerError(code=500, description="raft"),
        js_errors.BadRequestError(code=400, err_code=10070, description="wrong last msg ID"),
        js_errors.BadRequestError(code=400, err_code=10071, description="wrong last sequence"),
    ],
)
def test_nats_away_slow_or_out_of_order_is_retried_not_held(failure: Exception) -> None:
    assert not is_refusal(failure)
