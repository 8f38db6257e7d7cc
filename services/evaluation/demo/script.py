"""A demo round, step by step on the days a bureau would take them: announced, applications
(each judged eligible or refused with its rules), closed, three assessors' sheets, the
committee's decisions, 公示, one objection and its 复核, confirmation. Every step goes through
the workflow's handlers, as the API's routes do; the confirmations leave their records for the
registry in the outbox, for the running service's sender."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from services.evaluation.app import round_commands as rc
from services.evaluation.app.views import Actor, ApplicationView
from services.evaluation.bootstrap import Evaluation
from services.evaluation.domain.errors import Ineligible
from shared.clock import FixedClock
from shared.eventstore import EventMetadata

ASSESSORS = ("评估专家甲", "评估专家乙", "评估专家丙")
ACTOR = Actor(EventMetadata(client="cli", actor="evaluation demo"), lambda _place: True)


@dataclass
class DemoRound:
    round_id: str = ""
    applied: list[str] = field(default_factory=list)  # application ids
    refused: Counter[str] = field(default_factory=Counter)  # organizations refused, by rule
    grades: Counter[str] = field(default_factory=Counter)  # confirmed, by grade
    objection: str | None = None  # the application objected to


async def run_round(
    evaluation: Evaluation,
    clock: FixedClock,
    candidates: list[str],
    *,
    authority: str,
    opens_on: date,
    applications: int,
    seed: int,
) -> DemoRound:
    """The round from `opens_on`: up to `applications` drawn from `candidates` apply."""
    rng, done, workflow = random.Random(seed), DemoRound(), evaluation.workflow

    async def step(command: rc.ApplicationCommand) -> None:
        await workflow.application(command, ACTOR)

    clock.day = opens_on
    terms = rc.AnnounceRound(
        authority=authority, title=f"{opens_on.year}年度市级社会组织等级评估（演示）",
        opens_on=opens_on, closes_on=opens_on + timedelta(days=18), assessors=len(ASSESSORS),
    )  # fmt: skip
    done.round_id = (await workflow.round(terms, ACTOR)).round_id
    clock.day = opens_on + timedelta(days=8)
    for oid in rng.sample(candidates, min(len(candidates), applications)):
        try:
            shown = await workflow.application(
                rc.SubmitApplication(round_id=done.round_id, organization_id=oid), ACTOR
            )
        except Ineligible as refused:
            done.refused.update(r.split(":", 1)[0] for r in _reasons(refused))
            continue
        done.applied.append(shown.application.application_id)
    clock.day = terms.closes_on + timedelta(days=1)
    closed = await workflow.round(rc.CloseRound(round_id=done.round_id), ACTOR)
    admitted = [
        a for a in done.applied if (await _view(evaluation, a)).application.status == "admitted"
    ]
    clock.day += timedelta(days=4)
    framework = evaluation.catalogue.framework(closed.terms.framework)
    for app_id in admitted:
        level = rng.uniform(0.80, 0.99)  # how good the organization is
        for assessor in ASSESSORS:
            scores = {
                code: round(i.max_points * min(1.0, level + rng.uniform(-0.03, 0.03)), 1)
                for code, i in framework.indicators.items()
            }
            await step(rc.ScoreApplication(application_id=app_id, assessor=assessor, scores=scores))
    clock.day += timedelta(days=6)
    proposed = {a: (await _view(evaluation, a)).proposed_grade for a in admitted}
    decided = {a: g for a, g in proposed.items() if g is not None}
    for app_id, grade in decided.items():
        await step(rc.DecideGrade(application_id=app_id, grade=grade))
    clock.day += timedelta(days=1)
    published_on = clock.day
    for app_id in decided:
        await step(rc.PublishDecision(application_id=app_id))
    if decided:
        done.objection = first = next(iter(decided))
        clock.day = published_on + timedelta(days=5)
        grounds = "工作绩效部分指标计分有误"
        objected = await workflow.application(
            rc.LodgeObjection(application_id=first, grounds=grounds), ACTOR
        )
        (objection_id,) = objected.application.objections
        clock.day += timedelta(days=3)
        review = rc.DecideObjection(
            application_id=first, objection_id=objection_id, reason="复核维持原评估等级"
        )
        await step(review)
    clock.day = published_on + timedelta(days=closed.terms.publicity_days)  # the 公示 is over
    for app_id, grade in decided.items():
        await step(rc.ConfirmGrade(application_id=app_id))
        done.grades[grade] += 1
    return done


async def _view(evaluation: Evaluation, application_id: str) -> ApplicationView:
    return await evaluation.rounds.application(application_id, None, ACTOR.covers)


def _reasons(refused: Ineligible) -> list[str]:
    reasons = refused.extensions["reasons"]
    assert isinstance(reasons, list)
    return [str(r) for r in reasons]
