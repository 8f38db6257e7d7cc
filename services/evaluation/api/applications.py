"""An application's steps after submission: withdrawal, sheets, the committee's decision, 公示,
objections and their 复核, the bureau's confirmation; and its state on any day."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.evaluation.api import application_schemas as s
from services.evaluation.api.deps import Assessor, Committee, EvaluationDep, Manager, Reader, actor
from services.evaluation.api.errors import BAD_REQUEST, problem
from services.evaluation.app import round_commands as rc
from services.evaluation.bootstrap import Evaluation
from shared.http.dates import IsoDate
from shared.http.keys import Client

router = APIRouter(prefix="/v1/applications", tags=["applications"])
FORBIDDEN = problem("the key lacks the scope, or the round's authority lies outside its area")
NOT_FOUND = problem("no such application (or objection)")
STEP: dict[int | str, dict[str, Any]] = {
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: problem("a step out of order, e.g. publicity-running, publicity-over, "
                 "application-withdrawn, objection-pending, review-overdue; or a concurrent write"),
    422: problem("an invalid body, or a sheet refused (score-out-of-range, indicator-missing, "
                 "indicator-unknown), or reason-required"),
}  # fmt: skip


async def _step(
    evaluation: Evaluation, command: rc.ApplicationCommand, client: Client
) -> s.ApplicationRead:
    return s.ApplicationRead.of(await evaluation.workflow.application(command, actor(client)))


@router.get("/{application_id}", responses={403: FORBIDDEN, 404: NOT_FOUND})
async def get_application(
    application_id: str,
    evaluation: EvaluationDep,
    client: Reader,
    as_of: Annotated[IsoDate | None, Query(description="as at the end of that day")] = None,
) -> s.ApplicationRead:
    """The application as it stands, or as it stood on a past day."""
    found = await evaluation.rounds.application(application_id, as_of, client.covers)
    return s.ApplicationRead.of(found)


@router.post("/{application_id}/withdrawal", responses=BAD_REQUEST | STEP)
async def withdraw_application(
    application_id: str, body: s.Withdrawal, evaluation: EvaluationDep, client: Manager
) -> s.ApplicationRead:
    """Withdrawn before the decision (application_withdrawn); it stays on record."""
    command = rc.WithdrawApplication(application_id=application_id, reason=body.reason)
    return await _step(evaluation, command, client)


@router.post("/{application_id}/sheets", status_code=201, responses=BAD_REQUEST | STEP)
async def score_application(
    application_id: str, body: s.SheetCreate, evaluation: EvaluationDep, client: Assessor
) -> s.ApplicationRead:
    """One assessor's sheet against the round's framework (assessment_scored)."""
    command = rc.ScoreApplication(application_id=application_id, **body.model_dump())
    return await _step(evaluation, command, client)


@router.post("/{application_id}/decision", responses=BAD_REQUEST | STEP)
async def decide_grade(
    application_id: str, body: s.DecisionCreate, evaluation: EvaluationDep, client: Committee
) -> s.ApplicationRead:
    """评估委员会: the grade (grade_decided); another than the proposal needs a reason."""
    command = rc.DecideGrade(application_id=application_id, **body.model_dump())
    return await _step(evaluation, command, client)


@router.post("/{application_id}/publication", responses=BAD_REQUEST | STEP)
async def publish_decision(
    application_id: str, evaluation: EvaluationDep, client: Manager
) -> s.ApplicationRead:
    """公示 of the decision from today, for the round's period (decision_published)."""
    return await _step(evaluation, rc.PublishDecision(application_id=application_id), client)


@router.post("/{application_id}/objections", status_code=201, responses=BAD_REQUEST | STEP)
async def lodge_objection(
    application_id: str, body: s.ObjectionCreate, evaluation: EvaluationDep, client: Manager
) -> s.ApplicationRead:
    """复核申请, accepted only during the 公示 (objection_lodged)."""
    command = rc.LodgeObjection(application_id=application_id, grounds=body.grounds)
    return await _step(evaluation, command, client)


@router.post("/{application_id}/objections/{objection_id}/decision", responses=BAD_REQUEST | STEP)
async def decide_objection(
    application_id: str,
    objection_id: str,
    body: s.ReviewCreate,
    evaluation: EvaluationDep,
    client: Committee,
) -> s.ApplicationRead:
    """The 复核 decision, within the deadline (objection_decided)."""
    command = rc.DecideObjection(
        application_id=application_id, objection_id=objection_id, **body.model_dump()
    )
    return await _step(evaluation, command, client)


@router.post("/{application_id}/confirmation", responses=BAD_REQUEST | STEP)
async def confirm_grade(
    application_id: str, evaluation: EvaluationDep, client: Manager
) -> s.ApplicationRead:
    """The bureau confirms after the 公示: the grade takes effect (grade_confirmed)."""
    return await _step(evaluation, rc.ConfirmGrade(application_id=application_id), client)


overdue = APIRouter(prefix="/v1/objections", tags=["applications"])


@overdue.get("/overdue", responses={403: FORBIDDEN})
async def list_overdue_objections(evaluation: EvaluationDep, client: Reader) -> s.OverduePage:
    """Objections whose 复核 decision was due before today and is not recorded."""
    found = await evaluation.rounds.overdue(client.covers)
    return s.OverduePage(items=[s.OverdueRead(**vars(o)) for o in found])
