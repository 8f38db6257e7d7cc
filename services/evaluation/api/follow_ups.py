"""跟踪评估 (2026 revision): an authority's yearly draw of 4A-and-above organizations for a
follow-up evaluation, made on demand and read back; each organization drawn is a follow_up
case under /v1/rating-changes."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Response

from services.evaluation.api.deps import EvaluationDep, Manager, Reader, actor
from services.evaluation.api.errors import BAD_REQUEST, problem
from services.evaluation.api.follow_up_schemas import FollowUpDrawCreate, FollowUpDrawRead
from services.evaluation.app.follow_ups import DrawFollowUp

router = APIRouter(prefix="/v1/follow-up-draws", tags=["follow-up draws"])
FORBIDDEN = problem("the key lacks the scope, or the authority lies outside its area")


@router.post(
    "",
    status_code=201,
    responses={
        **BAD_REQUEST,
        200: {"model": FollowUpDrawRead, "description": "the year's draw, asked again: unchanged"},
        403: FORBIDDEN,
        409: problem("the authority's draw of that year was made with another seed or share "
                     "(follow-up-drawn-already)"),
        422: problem("an invalid body, a day after today (date-in-future), or one before the "
                     "2026 revision (follow-up-not-in-regime)"),
    },
)  # fmt: skip
async def draw_follow_up(
    body: FollowUpDrawCreate, response: Response, evaluation: EvaluationDep, client: Manager
) -> FollowUpDrawRead:
    """跟踪评估: a share of the authority's organizations holding 4A or 5A on the day drawn at
    random (seeded) and recorded (follow_up_drawn), each opening a follow_up case that the
    bureau closes with its result; one draw per authority and year, and the same seed again
    answers the recorded draw (200) without writing anything."""
    share = None if body.share is None else Decimal(str(body.share))  # 0.1 as written
    command = DrawFollowUp(authority=body.authority, on=body.on, share=share, seed=body.seed)
    done = await evaluation.follow_ups.draw(command, actor(client))
    if not done.created:
        response.status_code = 200
    return FollowUpDrawRead.of(done.draw)


@router.get(
    "/{authority}/{year}",
    responses={403: FORBIDDEN, 404: problem("no draw (follow-up-draw-not-found)")},
)
async def get_follow_up_draw(
    authority: str, year: int, evaluation: EvaluationDep, client: Reader
) -> FollowUpDrawRead:
    """The authority's draw of that year: its seed, share, counts, and the organizations drawn
    with their follow_up cases."""
    return FollowUpDrawRead.of(await evaluation.follow_ups.drawn(authority, year, client.covers))
