"""Reactions to registry facts as the bureau decides them, and expiry scans on demand."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.evaluation.api import rating_change_schemas as s
from services.evaluation.api.deps import Committee, EvaluationDep, Manager, Reader, actor
from services.evaluation.api.errors import BAD_REQUEST, problem
from services.evaluation.app.errors import DateInFuture, OutsideClientArea
from services.evaluation.app.reaction_handlers import DecideRatingChange
from services.evaluation.bootstrap import Evaluation
from shared.http.keys import Client

router = APIRouter(prefix="/v1/rating-changes", tags=["rating changes"])
FORBIDDEN = problem("the key lacks the scope, or the organization lies outside its area")
NOT_FOUND = problem("no such rating change (rating-change-not-found)")
STEP: dict[int | str, dict[str, Any]] = {
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: problem("decided already (rating-change-already-decided), the other kind's step "
                 "(wrong-reaction-step), or a concurrent write (version-conflict)"),
    422: problem("an invalid body, or a result's grade (result-grade-invalid)"),
}  # fmt: skip


async def _decide(
    evaluation: Evaluation, command: DecideRatingChange, client: Client
) -> s.RatingChangeRead:
    return s.RatingChangeRead.of(await evaluation.reactions.decide(command, actor(client)))


@router.get("", responses={403: FORBIDDEN, 422: problem("an unknown state or kind")})
async def list_rating_changes(
    evaluation: EvaluationDep,
    client: Reader,
    state: Annotated[s.State | None, Query(description="only in this state")] = None,
    kind: Annotated[s.Kind | None, Query(description="only of this kind")] = None,
) -> s.RatingChangePage:
    """Proposed downgrades and cancellations (39号) and 核查评估 cases (2026) raised by registry
    facts, with the rule and the registry event behind each, and 跟踪评估 cases opened by a
    draw, naming it."""
    found = await evaluation.reactions.rows(state, client.covers, kind)
    return s.RatingChangePage(items=[s.RatingChangeRead.of(r) for r in found])


@router.get("/{reaction_id}", responses={403: FORBIDDEN, 404: NOT_FOUND})
async def get_rating_change(
    reaction_id: str, evaluation: EvaluationDep, client: Reader
) -> s.RatingChangeRead:
    """One rating change as it stands."""
    return s.RatingChangeRead.of(await evaluation.reactions.row(reaction_id, client.covers))


@router.post("/{reaction_id}/confirmation", responses=BAD_REQUEST | STEP)
async def confirm_rating_change(
    reaction_id: str, body: s.Decision, evaluation: EvaluationDep, client: Committee
) -> s.RatingChangeRead:
    """39号 art. 30: the bureau lowers or cancels the grade as proposed; the registry's rating
    changes through the same outbox as a confirmation."""
    command = DecideRatingChange(reaction_id=reaction_id, step="confirm", reason=body.reason)
    return await _decide(evaluation, command, client)


@router.post("/{reaction_id}/dismissal", responses=BAD_REQUEST | STEP)
async def dismiss_rating_change(
    reaction_id: str, body: s.Decision, evaluation: EvaluationDep, client: Committee
) -> s.RatingChangeRead:
    """39号: the bureau keeps the grade, with its reason; nothing goes to the registry."""
    command = DecideRatingChange(reaction_id=reaction_id, step="dismiss", reason=body.reason)
    return await _decide(evaluation, command, client)


@router.post("/{reaction_id}/closure", responses=BAD_REQUEST | STEP)
async def close_verification(
    reaction_id: str, body: s.Closure, evaluation: EvaluationDep, client: Committee
) -> s.RatingChangeRead:
    """2026 revision: the result of a 核查评估 or a 跟踪评估 case (kept, downgraded, cancelled); a
    change goes to the registry."""
    command = DecideRatingChange(reaction_id=reaction_id, step="close", **body.model_dump())
    return await _decide(evaluation, command, client)


expiry = APIRouter(prefix="/v1/expiry-scans", tags=["rating changes"])


@expiry.post(
    "",
    responses={
        **BAD_REQUEST,
        403: problem("the key lacks evaluation:manage or is restricted to a place"),
        409: problem("another replica is scanning (scan-running): try again later"),
        422: problem("an invalid day, or one after today (date-in-future)"),
    },
)
async def run_expiry_scan(
    body: s.ExpiryScanCreate, evaluation: EvaluationDep, client: Manager
) -> s.ExpiryScanRead:
    """Record every grade whose validity ended before the day with no new decision as expired
    (grade_expired, once per grade); a day scanned again records nothing."""
    if client.place is not None:  # a scan judges the whole register
        raise OutsideClientArea(f"a scan covers every place; the key covers {client.place} only")
    today = evaluation.rounds.clock.today()
    on = body.on or today
    if on > today:
        raise DateInFuture(f"{on} is after today ({today}, Asia/Shanghai)")
    result = await evaluation.reactions.expire(on, client=client.id)
    return s.ExpiryScanRead(on=result.on, expired=result.expired)
