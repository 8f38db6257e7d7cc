"""Operations on a consuming service's projections: dead letters, replay, rebuild."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from shared.consumer import AlreadyReplayed, ConsumerRunner, Consumers
from shared.http.auth import require
from shared.http.problems import Problem


class DeadLetterRead(BaseModel):
    id: int
    consumer: str
    stream_seq: int
    subject: str
    envelope: dict[str, Any]
    error: str
    attempts: int
    parked_at: datetime
    replayed_at: datetime | None


class ProjectionRead(BaseModel):
    name: str
    stream: str
    lag: int
    stalled: bool
    rebuilding: bool
    last_rebuild: str | None = None
    waiting: str | None = Field(
        None, description="why it does not consume yet (its stream absent), or null"
    )


def _problems(*answers: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """The refusals a route declares in the OpenAPI (problem+json bodies)."""
    return {status: {"description": f"{text} (problem+json)"} for status, text in answers}


FORBIDDEN = (403, "the key lacks the service's admin scope")
UNKNOWN_PROJECTION = (404, "no projection of that name")


def consumers_router(service: str) -> APIRouter:
    # Every route here needs the service's admin scope.
    router = APIRouter(
        prefix="/v1", tags=["projections"], dependencies=[Depends(require(f"{service}:admin"))]
    )

    def consumers(request: Request) -> Consumers:
        found: Consumers = request.app.state.consumers
        return found

    def runner(request: Request, name: str) -> ConsumerRunner:
        found = consumers(request).runners.get(name)
        if found is None:
            raise Problem(404, "unknown-projection", f"no projection named {name!r}")
        return found

    @router.get("/projections", responses=_problems(FORBIDDEN))
    async def list_projections(request: Request) -> list[ProjectionRead]:
        """The service's projections, their lag and any rebuild in progress."""
        c = consumers(request)
        out = []
        for name, r in c.runners.items():
            task = c.rebuilds.get(name)
            last = None
            if task is not None and task.done():
                last = "failed" if task.cancelled() or task.exception() else "done"
            out.append(
                ProjectionRead(
                    name=name,
                    stream=r.projection.stream,
                    lag=r.lag,
                    stalled=r.stalled(),
                    rebuilding=task is not None and not task.done(),
                    last_rebuild=last,
                    waiting=r.waiting,
                )
            )
        return out

    @router.post(
        "/projections/{name}/rebuild",
        status_code=202,
        responses=_problems(
            FORBIDDEN,
            UNKNOWN_PROJECTION,
            (409, "a rebuild is under way, or the projection's stream does not exist yet"),
        ),
    )
    async def rebuild(request: Request, name: str) -> dict[str, str]:
        """Rebuild a projection from the stream's start into fresh tables, then swap them in."""
        r = runner(request, name)
        c = consumers(request)
        current = c.rebuilds.get(name)
        if current is not None and not current.done():
            raise Problem(409, "rebuild-running", f"{name} is already being rebuilt")
        if r.waiting is not None:
            raise Problem(409, "stream-absent", f"{name} cannot be rebuilt: {r.waiting}")
        c.rebuilds[name] = asyncio.create_task(r.rebuild(), name=f"rebuild-{name}")
        return {"status": "started", "projection": name}

    @router.get("/dead-letters", responses=_problems(FORBIDDEN))
    async def list_dead_letters(
        request: Request, include_replayed: bool = False
    ) -> list[DeadLetterRead]:
        """Messages a consumer parked after repeated failures, with their errors."""
        rows: list[DeadLetterRead] = []
        for r in consumers(request).runners.values():
            found = await r.dead_letters(include_replayed=include_replayed)
            rows.extend(DeadLetterRead.model_validate(d) for d in found)
        return rows

    @router.post(
        "/dead-letters/{dead_letter_id}/replay",
        responses=_problems(
            FORBIDDEN,
            (404, "no dead letter of that id"),
            (409, "replayed already"),
            (422, "the projection failed again"),
        ),
    )
    async def replay(request: Request, dead_letter_id: int) -> dict[str, Any]:
        """Apply a parked message again (after a fix); a replayed one is not applied twice."""
        for r in consumers(request).runners.values():
            try:
                await r.replay(dead_letter_id)
            except LookupError:
                continue
            except AlreadyReplayed as exc:
                raise Problem(409, "already-replayed", str(exc)) from exc
            except Exception as exc:
                raise Problem(
                    422,
                    "replay-failed",
                    f"the projection failed again: {type(exc).__name__}: {exc}",
                ) from exc
            return {"replayed": dead_letter_id}
        raise Problem(404, "unknown-dead-letter", f"no dead letter {dead_letter_id}")

    return router
