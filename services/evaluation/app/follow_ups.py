"""跟踪评估 draws (2026 revision): a share of an authority's 4A-and-above organizations drawn
at random, seeded, once per authority and year. The draw is one follow_up_drawn event (its
seed, share and counts) and a follow_up case per organization drawn (rating_change_proposed,
which the bureau closes as any 核查评估), all in one transaction. Asked again with the same
seed, the recorded draw is the answer and nothing is written."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from services.evaluation.app.errors import DateInFuture, OutsideClientArea
from services.evaluation.app.ports import EvaluationStore, ReactionIndex, Records
from services.evaluation.app.reaction_handlers import cases
from services.evaluation.app.streams import CODEC, FOLLOW_UPS
from services.evaluation.app.views import Actor, Covers
from services.evaluation.domain.errors import (
    FollowUpDrawnAlready,
    FollowUpDrawNotFound,
    FollowUpNotInRegime,
)
from services.evaluation.domain.follow_up import (
    FOLLOW_UP_GRADES,
    Draw,
    candidate,
    draw_id,
    drawn_count,
    made,
)
from services.evaluation.domain.rating_change import RatingChangeCase
from shared.clock import Clock
from shared.contracts.evaluation import FollowUpDrawn, RatingChangeProposed
from shared.eventstore import RecordedEvent, WrongExpectedVersion
from shared.eventstore.repository import Repository
from shared.rules.rating import REVISION_IN_FORCE, regime_of

SEEDS = 2**31  # a seed the caller does not give is drawn from [0, SEEDS)


@dataclass(frozen=True, kw_only=True)
class DrawFollowUp:
    authority: str
    on: date | None = None  # the day whose grades in force count; default today
    share: Decimal | None = None  # default: the locality's (settings)
    seed: int | None = None  # default: a random one, recorded


@dataclass(frozen=True)
class Pick:
    """An organization drawn, with the grade it held and its follow_up case as it stands (a
    draw recorded before the cases, schema 1, has none)."""

    rank: int
    organization_id: str
    grade: str
    decided_on: date | None
    reaction_id: str | None = None
    state: str | None = None
    decided_grade: str | None = None


@dataclass(frozen=True)
class DrawView:
    event: FollowUpDrawn
    picks: list[Pick]


@dataclass(frozen=True)
class Drawn:
    draw: DrawView
    created: bool  # false: the recorded draw, asked again


def _replay(key: str, events: Sequence[FollowUpDrawn]) -> FollowUpDrawn:
    return events[0]


class FollowUpHandlers:
    def __init__(
        self,
        *,
        store: EvaluationStore,
        records: Records,
        index: ReactionIndex,
        clock: Clock,
        share: Decimal,
    ) -> None:
        self.store, self.records, self.index, self.clock = store, records, index, clock
        drawn_count(share, 0)  # the locality's share, checked at start
        self.share = share
        self.draws = Repository(
            store=store.events, codec=CODEC, stream_prefix=FOLLOW_UPS, replay=_replay
        )
        self.cases = cases(store)

    async def draw(self, command: DrawFollowUp, actor: Actor) -> Drawn:
        """The year's draw of the authority: made now, or the one recorded (same seed)."""
        if (earlier := self.store.earlier_write()) is not None:  # a retry whose write is stored
            found = await self._load(earlier[0].removeprefix(FOLLOW_UPS))
            assert found is not None, earlier
            return Drawn(found, True)
        _covered(actor.covers, command.authority)
        today = self.clock.today()
        on = command.on or today
        if on > today:
            raise DateInFuture(f"{on} is after today ({today}, Asia/Shanghai)")
        if regime_of(on) != "revision_2026":
            raise FollowUpNotInRegime(
                f"跟踪评估 comes with the 2026 revision (in force {REVISION_IN_FORCE}); "
                f"{on} falls under 民政部令第39号"
            )
        share = command.share if command.share is not None else self.share
        drawn_count(share, 0)
        key = draw_id(command.authority, on.year)
        if (found := await self._load(key)) is not None:
            return Drawn(_same(found, command), False)
        seed = command.seed if command.seed is not None else secrets.randbelow(SEEDS)
        done = await self._draw(command.authority, on, today, share, seed)
        try:
            await self._save(key, done, actor)
        except WrongExpectedVersion:  # drawn meanwhile by another request
            found = await self._load(key)
            assert found is not None, key
            return Drawn(_same(found, command), False)
        picks = [_opened(c) for c in done.opened]
        return Drawn(DrawView(done.drawn, picks), True)

    async def _draw(self, authority: str, on: date, today: date, share: Decimal, seed: int) -> Draw:
        ids = await self.records.graded(authority, FOLLOW_UP_GRADES, on)
        found = await self.records.get_many(ids)
        candidates = [c for r in found.values() if (c := candidate(r, on)) is not None]
        return made(authority, on, today, share, seed, candidates)

    async def _save(self, key: str, done: Draw, actor: Actor) -> None:
        """The draw and its cases with their rows, in one unit of work; the cases name the
        draw's event as their cause."""
        authority = done.drawn.authority
        event = CODEC.encode(done.drawn)
        because = replace(actor.metadata, causation_id=str(event.event_id))
        async with self.store.unit_of_work() as uow:
            await uow.reactions.put_many([RatingChangeCase(c) for c in done.opened], authority)
            self.draws.append(
                uow.events, key, 0, [event], metadata=actor.metadata, division=authority
            )
            for c in done.opened:
                self.cases.save(
                    uow.events, c.reaction_id, 0, [c], metadata=because, division=authority
                )
            await uow.mark_written(self.draws.stream_of(key), 1)

    async def drawn(self, authority: str, year: int, covers: Covers) -> DrawView:
        """The authority's draw of that year, with the organizations drawn."""
        _covered(covers, authority)
        found = await self._load(draw_id(authority, year))
        if found is None:
            raise FollowUpDrawNotFound(f"no 跟踪评估 draw of {authority} for {year}")
        return found

    async def _load(self, key: str) -> DrawView | None:
        """The draw, and who was drawn: from its cases' rows in one query."""
        stored = await self.draws.events(key)
        if not stored:
            return None
        event: FollowUpDrawn = CODEC.decode(stored[0])
        if stored[0].schema_version == 1:
            return DrawView(event, _listed(stored[0]))
        return DrawView(event, [_pick(row) for row in await self.index.drawn(key)])


def _opened(case: RatingChangeProposed) -> Pick:
    assert case.follow_up is not None, case.reaction_id
    return Pick(
        case.follow_up.rank,
        case.organization_id,
        case.grade,
        case.decided_on,
        case.reaction_id,
        "open",
    )


def _pick(row: dict[str, Any]) -> Pick:
    return Pick(
        row["rank"],
        row["organization_id"],
        row["grade"],
        row["grade_decided_on"],
        row["reaction_id"],
        row["state"],
        row["decided_grade"],
    )


def _listed(v1: RecordedEvent) -> list[Pick]:
    """A draw of schema 1, recorded before follow_up cases existed: who was drawn is listed in
    its stored event (never rewritten), and no case was opened."""
    return [
        Pick(i, p["organization_id"], p["grade"], date.fromisoformat(p["decided_on"]))
        for i, p in enumerate(v1.data["drawn"], 1)
    ]


def _same(found: DrawView, asked: DrawFollowUp) -> DrawView:
    """The recorded draw when asked with its seed (and share, if one is named); else refused:
    one draw per authority and year, so a draw cannot be made again until it suits."""
    event = found.event
    if asked.seed == event.seed and asked.share in (None, event.share):
        return found
    raise FollowUpDrawnAlready(
        f"{event.authority}'s {event.year} draw was made on {event.drawn_on} with seed "
        f"{event.seed}, share {event.share}: one draw per authority and year"
    )


def _covered(covers: Covers, authority: str) -> None:
    if not covers(authority):
        raise OutsideClientArea(f"the key does not cover the authority {authority}")
