"""What each step after submission asks of the application: the command's fields and the
round's terms (framework, thresholds, windows, regime) handed to one method of the aggregate,
dated `day`. The handler (round_handlers.py) loads, checks the key and saves around it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from services.evaluation.app import round_commands as rc
from services.evaluation.domain.application import Application
from services.evaluation.domain.application import Event as ApplicationEvent
from services.evaluation.domain.catalogue import Catalogue
from services.evaluation.domain.process import PROCESSES
from services.evaluation.domain.round import Round

Step = Callable[[Application, Round, object, date, Catalogue], ApplicationEvent]


def _withdraw(a: Application, r: Round, c: object, day: date, k: Catalogue) -> ApplicationEvent:
    assert isinstance(c, rc.WithdrawApplication)
    return a.withdraw(day, c.reason)


def _score(a: Application, r: Round, c: object, day: date, k: Catalogue) -> ApplicationEvent:
    assert isinstance(c, rc.ScoreApplication)
    return a.sheet(day, c.assessor, c.scores, k.framework(r.terms.framework))


def _decide(a: Application, r: Round, c: object, day: date, k: Catalogue) -> ApplicationEvent:
    assert isinstance(c, rc.DecideGrade)
    grades = k.grades(r.terms.thresholds)
    return a.decide(day, c.grade, c.reason, terms=r.terms, thresholds=grades)


def _publish(a: Application, r: Round, c: object, day: date, k: Catalogue) -> ApplicationEvent:
    return a.publish(day, r.terms.publicity_days)


def _object(a: Application, r: Round, c: object, day: date, k: Catalogue) -> ApplicationEvent:
    assert isinstance(c, rc.LodgeObjection)
    return a.object(uuid.uuid4().hex, day, c.grounds, r.terms.review_days)


def _review(a: Application, r: Round, c: object, day: date, k: Catalogue) -> ApplicationEvent:
    assert isinstance(c, rc.DecideObjection)
    return a.review(c.objection_id, day, c.grade, c.reason, PROCESSES[r.terms.regime])


def _confirm(a: Application, r: Round, c: object, day: date, k: Catalogue) -> ApplicationEvent:
    return a.confirm(day)


STEPS: dict[type, Step] = {
    rc.WithdrawApplication: _withdraw,
    rc.ScoreApplication: _score,
    rc.DecideGrade: _decide,
    rc.PublishDecision: _publish,
    rc.LodgeObjection: _object,
    rc.DecideObjection: _review,
    rc.ConfirmGrade: _confirm,
}
