"""Reactions raised by the projection: a registry fact that puts a grade in force in question
becomes a rating_change_proposed on EVALUATION (a 39号 proposal or a 2026 核查评估), appended
in the consumer's transaction, so a redelivered fact raises nothing twice."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters import reaction_rows
from services.evaluation.adapters.records import record
from services.evaluation.app.streams import CODEC, REACTIONS
from services.evaluation.domain.rating_change import RatingChangeCase
from services.evaluation.domain.reactions import reaction_to
from shared.consumer import Delivered
from shared.contracts.evaluation import RatingChangeProposed
from shared.eventstore.model import EventMetadata
from shared.eventstore.sql import unit_of_work_on

NAMESPACE = uuid.UUID("0b7f3e1a-5c2d-4e8f-9a6b-1c2d3e4f5a60")
# The registry events a rule reads (domain/reactions.py).
TRIGGERS = frozenset(
    {
        "inspection_concluded",
        "credit_listed",
        "penalty_imposed",
        "registration_revoked",
        "certificate_revoked",
    }
)


async def react(
    conn: AsyncConnection, event: Delivered, data: Any, org: str, max_event_bytes: int
) -> None:
    """Raise the reaction the fact calls for, if any, with its read-model row."""
    if event.event_type not in TRIGGERS:
        return
    found = await record(conn, org)
    reaction = None if found is None else reaction_to(data, found)
    if reaction is None:
        return
    t, held = reaction.trigger, reaction.held
    reaction_id = uuid.uuid5(NAMESPACE, f"{event.id}/{t.rule}").hex
    raised = RatingChangeProposed(
        reaction_id=reaction_id,
        organization_id=org,
        kind=reaction.kind,
        change=t.change,
        rule=t.rule,
        fact=t.fact,
        registry_event_id=event.id,
        registry_event=event.event_type,
        raised_on=t.on,
        grade=held.grade,
        proposed_grade=reaction.proposed_grade,
        decided_on=held.decided_on,
        valid_from=held.valid_from,
        valid_until=held.valid_until,
    )
    uow = unit_of_work_on(conn, max_event_bytes)
    await reaction_rows.put(uow, RatingChangeCase(raised), event.division)
    metadata = EventMetadata(client="evaluation", actor="registry event", causation_id=event.id)
    uow.append(
        REACTIONS + reaction_id, 0, [CODEC.encode(raised)], metadata=metadata,
        division=event.division,
    )  # fmt: skip
    await uow.flush()
