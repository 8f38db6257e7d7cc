"""The webhook API's errors as problem+json: the application's refusals translated once, and
the responses each route declares in the OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from services.notifier.app.deliveries import NotDead, SubscriptionDisabled, UnknownDelivery
from services.notifier.app.subscriptions import (
    AreaFinerThanCounty,
    OutsideArea,
    UnknownSubscription,
)
from services.notifier.app.urls import UrlRefused
from services.notifier.domain.signing import BadSecret
from shared.http.problems import Problem

Responses = dict[int | str, dict[str, Any]]
FORBIDDEN: Responses = {
    403: {
        "description": "the key lacks notifier:subscribe, the place is outside its area, or "
        "the key is restricted to a place finer than a county (problem+json)"
    }
}
NOT_FOUND: Responses = {404: {"description": "no such resource of the key's (problem+json)"}}
REFUSED_URL: Responses = {
    422: {
        "description": "invalid body, a URL refused (SSRF: loopback, private, link-local, "
        "unspecified addresses), or a bad secret (problem+json)"
    }
}
NOT_DEAD: Responses = {
    409: {
        "description": "the delivery is not dead (delivery-not-dead), or its subscription is "
        "disabled, e.g. by a 410 Gone: re-enable it first (subscription-disabled) (problem+json)"
    }
}


@contextmanager
def problems() -> Iterator[None]:
    """Translate the application's refusals into problem+json."""
    try:
        yield
    except UrlRefused as exc:
        raise Problem(422, "webhook-url-refused", str(exc)) from None
    except BadSecret as exc:
        raise Problem(422, "bad-webhook-secret", str(exc)) from None
    except AreaFinerThanCounty as exc:
        raise Problem(403, "key-area-finer-than-county", str(exc)) from None
    except OutsideArea as exc:
        raise Problem(403, "outside-client-area", str(exc)) from None
    except UnknownSubscription as exc:
        raise Problem(404, "unknown-subscription", f"no subscription {exc} of this key") from None
    except UnknownDelivery as exc:
        raise Problem(404, "unknown-delivery", f"no delivery {exc} of this key") from None
    except NotDead as exc:
        raise Problem(409, "delivery-not-dead", str(exc)) from None
    except SubscriptionDisabled as exc:
        raise Problem(409, "subscription-disabled", str(exc)) from None
