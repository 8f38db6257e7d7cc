"""行政处罚 on one organization, their execution (执行完毕), and 整改完成 of a 限期整改."""

from __future__ import annotations

from fastapi import APIRouter

from services.registry.api.acts import ActRoute, add_acts
from services.registry.api.json_body import StrictJsonRoute
from services.registry.api.penalty_schemas import (
    PenaltyCreate,
    PenaltyExecutionCreate,
    RectificationCreate,
)
from services.registry.app import commands as c

router = APIRouter(
    prefix="/v1/organizations/{organization_id}", tags=["penalties"], route_class=StrictJsonRoute
)
add_acts(
    router,
    (
        ActRoute(
            "/penalties",
            PenaltyCreate,
            c.ImposePenalty,
            "impose_penalty",
            "行政处罚: a warning, a fine, a suspension of activities or a confiscation.",
        ),
        ActRoute(
            "/penalty-executions",
            PenaltyExecutionCreate,
            c.RecordPenaltyCarriedOut,
            "record_penalty_carried_out",
            "执行完毕: the penalty of a decision has been carried out.",
        ),
        ActRoute(
            "/rectifications",
            RectificationCreate,
            c.CompleteRectification,
            "complete_rectification",
            "整改完成: the 限期整改 ordered on a day is completed.",
        ),
    ),
)
