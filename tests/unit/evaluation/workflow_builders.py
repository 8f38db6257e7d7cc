"""A round's terms and an application on it, for the workflow's unit tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.evaluation.adapters.catalogue import load_catalogue
from services.evaluation.domain.application import Application
from services.evaluation.domain.round import Round
from shared.contracts import evaluation as c
from shared.rules.rating import regime_of

CATALOGUE = load_catalogue()
FRAMEWORK = CATALOGUE.framework("default-v1")
ANQING = CATALOGUE.grades("anqing-2021")


def terms(opens_on: date = date(2026, 6, 1), **changes: Any) -> c.RoundAnnounced:
    base: dict[str, Any] = {
        "round_id": "r1",
        "authority": "420100",
        "title": "2026年度评估",
        "announced_on": opens_on,
        "opens_on": opens_on,
        "closes_on": date(opens_on.year, opens_on.month, 28),
        "regime": regime_of(opens_on),
        "framework": "default-v1",
        "thresholds": "anqing-2021",
        "aggregate": "mean",
        "assessors": 2,
        "publicity_days": 15,
        "review_days": 15,
    }
    return c.RoundAnnounced(**{**base, **changes})


def a_round(**changes: Any) -> Round:
    return Round("r1", terms(**changes), version=1)


def submitted(on: date = date(2026, 6, 10)) -> Application:
    return Application(
        c.ApplicationSubmitted(
            application_id="a1", round_id="r1", organization_id="o1", submitted_on=on
        )
    )


def sheet(fraction: float) -> dict[str, float]:
    """Every indicator at `fraction` of its maximum."""
    return {code: i.max_points * fraction for code, i in FRAMEWORK.indicators.items()}


def admitted(on: date = date(2026, 6, 29)) -> Application:
    app = submitted()
    return app.apply(app.rechecked(on, []))


def scored(*fractions: float, on: date = date(2026, 7, 1)) -> Application:
    app = admitted()
    for n, f in enumerate(fractions):
        app = app.apply(app.sheet(on, f"专家{n}", sheet(f), FRAMEWORK))
    return app


def published(decided_on: date, published_on: date, grade: str = "4A") -> Application:
    app = scored(0.92, 0.92)
    reason = None if grade == "4A" else "委员会意见"
    app = app.apply(
        app.decide(decided_on, grade, reason, terms=terms(), thresholds=ANQING)  # type: ignore[arg-type]
    )
    return app.apply(app.publish(published_on, 15))
