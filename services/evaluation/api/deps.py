"""Dependencies of the evaluation routes: its parts, and the caller's scopes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.evaluation.app.views import Actor
from services.evaluation.bootstrap import Evaluation
from shared.eventstore import EventMetadata
from shared.http.auth import require
from shared.http.context import request_id
from shared.http.keys import Client

READ, MANAGE = "evaluation:read", "evaluation:manage"
SCORE, DECIDE = "evaluation:score", "evaluation:decide"


async def _evaluation(request: Request) -> Evaluation:
    evaluation: Evaluation = request.app.state.evaluation
    return evaluation


EvaluationDep = Annotated[Evaluation, Depends(_evaluation)]
Reader = Annotated[Client, Depends(require(READ))]
Manager = Annotated[Client, Depends(require(MANAGE))]
Assessor = Annotated[Client, Depends(require(SCORE))]
Committee = Annotated[Client, Depends(require(DECIDE))]


def actor(client: Client) -> Actor:
    """The client as the workflow's handlers see it: its metadata and its area."""
    return Actor(metadata(client), client.covers)


def metadata(client: Client) -> EventMetadata:
    """The client as the event metadata records it, with the request as correlation id."""
    return EventMetadata(client=client.id, actor=client.name, correlation_id=request_id.get())
