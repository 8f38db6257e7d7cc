"""立案调查 recorded on an organization: opened, closed once, never before it opened."""

from __future__ import annotations

from datetime import date

import pytest

from services.evaluation.domain.errors import (
    DateBeforeOpening,
    InvestigationAlreadyOpen,
    InvestigationClosed,
    InvestigationNotFound,
)
from services.evaluation.domain.investigations import Investigations
from shared.contracts import contract_of

OPENED = date(2025, 10, 1)


def opened() -> Investigations:
    state = Investigations("org-1")
    event = state.open(investigation_id="i1", reference=" 武公立〔2025〕7号 ", opened_on=OPENED)
    return state.apply(event)


def test_an_opened_investigation_is_dated_by_its_opening() -> None:
    state = opened()
    case = state.cases["i1"]
    assert (case.reference, case.opened_on, case.closed_on) == ("武公立〔2025〕7号", OPENED, None)
    assert state.version == 1 and state.last == "i1"
    event = Investigations("org-1").open(investigation_id="i2", reference="x", opened_on=OPENED)
    assert contract_of(event).act_date(event) == OPENED


def test_an_investigation_closes_once_and_not_before_it_opened() -> None:
    state = opened()
    with pytest.raises(DateBeforeOpening):
        state.close(investigation_id="i1", closed_on=date(2025, 9, 30))
    closed = state.apply(state.close(investigation_id="i1", closed_on=OPENED))
    assert closed.cases["i1"].closed_on == OPENED
    with pytest.raises(InvestigationClosed):
        closed.close(investigation_id="i1", closed_on=date(2025, 12, 1))
    with pytest.raises(InvestigationNotFound):
        closed.close(investigation_id="nope", closed_on=date(2025, 12, 1))


def test_a_reference_is_open_once_at_a_time() -> None:
    state = opened()
    with pytest.raises(InvestigationAlreadyOpen):
        state.open(investigation_id="i2", reference="武公立〔2025〕7号", opened_on=OPENED)
    closed = state.apply(state.close(investigation_id="i1", closed_on=date(2025, 11, 1)))
    again = closed.open(investigation_id="i2", reference="武公立〔2025〕7号", opened_on=OPENED)
    assert again.investigation_id == "i2"


def test_replay_folds_the_stream() -> None:
    first = Investigations("org-1").open(investigation_id="i1", reference="a", opened_on=OPENED)
    state = Investigations.replay("org-1", [first])
    second = state.close(investigation_id="i1", closed_on=date(2026, 1, 2))
    assert Investigations.replay("org-1", [first, second]).cases["i1"].closed_on == date(2026, 1, 2)
