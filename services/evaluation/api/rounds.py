"""评估批次: a registration authority's rounds, their close, and applications to them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.evaluation.api.application_schemas import ApplicationCreate, ApplicationRead
from services.evaluation.api.deps import EvaluationDep, Manager, Reader, actor
from services.evaluation.api.errors import BAD_REQUEST, problem
from services.evaluation.api.round_schemas import RoundCreate, RoundPage, RoundRead
from services.evaluation.app import round_commands as rc
from shared.http.dates import IsoDate

router = APIRouter(prefix="/v1/rounds", tags=["rounds"])
FORBIDDEN = problem("the key lacks the scope, or the round's authority lies outside its area")
NOT_FOUND = problem("no such round (round-not-found)")
AS_OF = Query(description="the round as it stood at the end of that day (Asia/Shanghai)")
ERRORS: dict[int | str, dict[str, Any]] = {
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: problem("a step out of order (round-closed, round-still-open, …) or a concurrent write"),
    422: problem("an invalid body, window or framework"),
}


@router.post("", status_code=201, responses=BAD_REQUEST | ERRORS)
async def announce_round(
    body: RoundCreate, evaluation: EvaluationDep, client: Manager
) -> RoundRead:
    """评估批次 announced: round_announced on EVALUATION, dated today."""
    command = rc.AnnounceRound(**body.model_dump())
    return RoundRead.of(await evaluation.workflow.round(command, actor(client)))


@router.get("", responses={403: FORBIDDEN})
async def list_rounds(evaluation: EvaluationDep, client: Reader) -> RoundPage:
    """The rounds of the authorities the key covers."""
    found = await evaluation.rounds.rounds_of(client.covers)
    return RoundPage(items=[RoundRead.of(r) for r in found])


@router.get("/{round_id}", responses={403: FORBIDDEN, 404: NOT_FOUND, 422: problem("bad as_of")})
async def get_round(
    round_id: str,
    evaluation: EvaluationDep,
    client: Reader,
    as_of: Annotated[IsoDate | None, AS_OF] = None,
) -> RoundRead:
    """The round with every application on it; with `as_of`, as it stood on a past day."""
    found = await evaluation.rounds.round(round_id, as_of, client.covers)
    return RoundRead.full(found, as_of)


@router.post("/{round_id}/closure", responses=BAD_REQUEST | ERRORS)
async def close_round(round_id: str, evaluation: EvaluationDep, client: Manager) -> RoundRead:
    """The window is over: every application is checked again (application_rechecked on
    each, round_closed with the counts); the answer lists those found ineligible and why."""
    command = rc.CloseRound(round_id=round_id)
    await evaluation.workflow.round(command, actor(client))
    return RoundRead.closure(await evaluation.rounds.round(round_id, None, client.covers))


@router.post(
    "/{round_id}/applications",
    status_code=201,
    responses={
        **BAD_REQUEST,
        **ERRORS,
        404: problem("no such round, or organization"),
        409: problem("outside the window, round closed, already applied"),
        422: problem("ineligible (every failing rule and its facts), or another authority's"),
    },
)
async def submit_application(
    round_id: str, body: ApplicationCreate, evaluation: EvaluationDep, client: Manager
) -> ApplicationRead:
    """评估申请, checked for eligibility on the day under the round's regime."""
    command = rc.SubmitApplication(round_id=round_id, **body.model_dump())
    return ApplicationRead.of(await evaluation.workflow.application(command, actor(client)))
