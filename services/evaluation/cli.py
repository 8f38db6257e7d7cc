"""`socorg follow-up-draw --authority CODE [--on DAY] [--share S] [--seed N]`: the 跟踪评估 draw
of an authority's year from the command line (2026 revision; docs/evaluation.md).

It writes to the evaluation's database (SOCORG_EVALUATION_ settings) as the API does; the relay
(in the running service, or `socorg relay evaluation`) publishes its follow_up_drawn event and
the follow_up case of each organization drawn. It prints the draw as the API answers it. The
same seed again prints the recorded draw and writes nothing.
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer
from rich.console import Console

from services.evaluation.settings import EvaluationSettings
from shared.clock import ShanghaiClock
from shared.db import make_async_engine
from shared.eventstore import EventMetadata
from shared.eventstore.sql import SqlEventStore

console = Console()


def follow_up_draw(
    authority: Annotated[str, typer.Option(help="the registration authority's place code")],
    on: Annotated[
        str | None, typer.Option(help="the day whose grades count, YYYY-MM-DD (default: today)")
    ] = None,
    share: Annotated[
        str | None, typer.Option(help="share drawn, above 0 and at most 1 (default: settings)")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="default: a random one, recorded")] = None,
) -> None:
    """Draw the authority's 4A-and-above organizations for 跟踪评估 (once per year)."""
    from services.evaluation.app.follow_ups import DrawFollowUp  # `socorg` itself stays light
    from services.evaluation.domain.errors import DomainRefusal

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        raise typer.BadParameter(f"--on must be a day YYYY-MM-DD, not {on!r}") from None
    try:
        fraction = Decimal(share) if share is not None else None
    except InvalidOperation:
        raise typer.BadParameter(f"--share must be a number, not {share!r}") from None
    command = DrawFollowUp(authority=authority, on=day, share=fraction, seed=seed)
    try:
        done = asyncio.run(_draw(EvaluationSettings(), command))
    except DomainRefusal as refused:
        console.print(f"not drawn ({refused.slug}): {refused.message}", highlight=False)
        raise typer.Exit(1) from None
    console.print_json(data=done)


async def _draw(settings: EvaluationSettings, command: Any) -> dict[str, Any]:
    from services.evaluation.adapters.registry_http import NoRegistry
    from services.evaluation.api.follow_up_schemas import FollowUpDrawRead
    from services.evaluation.app.views import Actor
    from services.evaluation.bootstrap import bootstrap

    engine = make_async_engine(settings.database_url.get_secret_value())
    try:
        evaluation = bootstrap(
            store=SqlEventStore(engine, max_event_bytes=settings.event_max_bytes),
            switches=settings.switches(),
            clock=ShanghaiClock(),
            defaults=settings.defaults(),
            registry=NoRegistry(),
            follow_up_share=settings.follow_up_share,
        )
        actor = Actor(EventMetadata(client="cli", actor="follow-up draw"), lambda place: True)
        done = await evaluation.follow_ups.draw(command, actor)
        return {"created": done.created, **FollowUpDrawRead.of(done.draw).model_dump(mode="json")}
    finally:
        await engine.dispose()
