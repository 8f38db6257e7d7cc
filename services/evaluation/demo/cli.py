"""`socorg evaluation-demo`: a grading round on the demo register (`socorg demo ningbo` first),
run on the days a bureau would take its steps.

Each step of the workflow is dated by the day it is taken, and a real round takes weeks (a
window, then a 公示 of 15 days). So the demo does not call the running service's API, whose
clock is today: it runs the same workflow handlers on the evaluation's database (SOCORG_
EVALUATION_ settings, as `socorg serve evaluation`) on a clock set to each step's day, in the
weeks after the demo register's facts end (31 May 2025). The running service then does the
rest: its relay publishes the round's events on EVALUATION, its sender records the confirmed
grades on the registry, and its API shows the round, the applications and the 公示.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console

from services.evaluation.settings import EvaluationSettings
from shared.clock import FixedClock
from shared.db import make_async_engine
from shared.eventstore.sql import SqlEventStore

console = Console(stderr=True)
OPENS_ON = date(2025, 6, 2)  # the first working day after the demo register's facts end


def evaluation_demo(
    authority: Annotated[str, typer.Option(help="the bureau whose round it is")] = "330200",
    applications: Annotated[int, typer.Option(min=1, max=10000, help="organizations drawn")] = 40,
    seed: Annotated[int, typer.Option(help="same seed, same round")] = 1,
    opens_on: Annotated[
        str, typer.Option(help="the round's first day, YYYY-MM-DD")
    ] = OPENS_ON.isoformat(),
) -> None:
    """A grading round on the demo register: applications, sheets, decisions, 公示, 复核,
    confirmation; the grades then go to the registry through the running service."""
    try:
        first = date.fromisoformat(opens_on)
    except ValueError:
        raise typer.BadParameter(f"--opens-on must be a day YYYY-MM-DD, not {opens_on!r}") from None
    summary = asyncio.run(run(EvaluationSettings(), authority, applications, seed, first))
    console.print_json(data=summary)
    if summary.get("candidates") == 0:
        raise typer.Exit(1)


async def run(
    settings: EvaluationSettings, authority: str, applications: int, seed: int, first: date
) -> dict[str, Any]:
    from services.evaluation.adapters.registry_http import NoRegistry
    from services.evaluation.bootstrap import bootstrap  # `socorg` itself stays light
    from services.evaluation.demo.candidates import registered_by
    from services.evaluation.demo.script import run_round

    engine = make_async_engine(settings.database_url.get_secret_value())
    try:
        candidates = await registered_by(engine, authority)
        if not candidates:
            console.print(
                f"no organization registered by {authority} on the evaluation's projection: "
                "load `socorg demo ningbo` and let the evaluation's consumer catch up "
                "(GET /v1/projections on the evaluation)"
            )
            return {"candidates": 0}
        clock = FixedClock(first)
        evaluation = bootstrap(
            store=SqlEventStore(engine, max_event_bytes=settings.event_max_bytes),
            switches=settings.switches(),
            clock=clock,
            defaults=settings.defaults(),
            registry=NoRegistry(),
        )
        done = await run_round(
            evaluation, clock, candidates,
            authority=authority, opens_on=first, applications=applications, seed=seed,
        )  # fmt: skip
        return {
            "round_id": done.round_id,
            "candidates": len(candidates),
            "applied": len(done.applied),
            "refused_by_rule": dict(done.refused.most_common()),
            "confirmed_by_grade": dict(sorted(done.grades.items())),
            "objection_on": done.objection,
            "last_day": clock.day.isoformat(),
        }
    finally:
        await engine.dispose()
