"""跟踪评估 draws (2026 revision): a share of an authority's 4A-and-above organizations drawn
at random, seeded, once per authority and year; the draw (its seed, candidates and the drawn
set) is one follow_up_drawn event. Asked again with the same seed, the recorded draw is the
answer and nothing is written."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.evaluation.app.errors import DateInFuture, OutsideClientArea
from services.evaluation.app.ports import EvaluationStore, Records
from services.evaluation.app.streams import CODEC, FOLLOW_UPS
from services.evaluation.app.views import Actor, Covers
from services.evaluation.domain.errors import (
    FollowUpDrawnAlready,
    FollowUpDrawNotFound,
    FollowUpNotInRegime,
)
from services.evaluation.domain.follow_up import FOLLOW_UP_GRADES, candidate, draw, drawn_count
from shared.clock import Clock
from shared.contracts.evaluation import FollowUpDrawn, FollowUpPick
from shared.eventstore import WrongExpectedVersion
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
class Drawn:
    event: FollowUpDrawn
    created: bool  # false: the recorded draw, asked again


def _replay(key: str, events: Sequence[FollowUpDrawn]) -> FollowUpDrawn:
    return events[0]


class FollowUpHandlers:
    def __init__(
        self, *, store: EvaluationStore, records: Records, clock: Clock, share: Decimal
    ) -> None:
        self.store, self.records, self.clock = store, records, clock
        drawn_count(share, 0)  # the locality's share, checked at start
        self.share = share
        self.draws = Repository(
            store=store.events, codec=CODEC, stream_prefix=FOLLOW_UPS, replay=_replay
        )

    async def draw(self, command: DrawFollowUp, actor: Actor) -> Drawn:
        """The year's draw of the authority: made now, or the one recorded (same seed)."""
        if (earlier := self.store.earlier_write()) is not None:  # a retry whose write is stored
            found = await self.draws.load(earlier[0].removeprefix(FOLLOW_UPS))
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
        key = f"{command.authority}-{on.year}"
        if (found := await self.draws.load(key)) is not None:
            return Drawn(_same(found, command), False)
        seed = command.seed if command.seed is not None else secrets.randbelow(SEEDS)
        event = await self._draw(command.authority, on, today, share, seed)
        try:
            async with self.store.unit_of_work() as uow:
                self.draws.save(
                    uow.events,
                    key,
                    0,
                    [event],
                    metadata=actor.metadata,
                    division=command.authority,
                )
                await uow.mark_written(self.draws.stream_of(key), 1)
        except WrongExpectedVersion:  # drawn meanwhile by another request
            found = await self.draws.load(key)
            assert found is not None, key
            return Drawn(_same(found, command), False)
        return Drawn(event, True)

    async def _draw(
        self, authority: str, on: date, today: date, share: Decimal, seed: int
    ) -> FollowUpDrawn:
        ids = await self.records.graded(authority, FOLLOW_UP_GRADES, on)
        found = await self.records.get_many(ids)
        candidates = [c for r in found.values() if (c := candidate(r, on)) is not None]
        picks = draw(candidates, share, seed)
        return FollowUpDrawn(
            authority=authority,
            year=on.year,
            on=on,
            drawn_on=today,
            seed=seed,
            share=share,
            candidates=len(candidates),
            drawn=[FollowUpPick(**vars(p)) for p in picks],
        )

    async def drawn(self, authority: str, year: int, covers: Covers) -> FollowUpDrawn:
        """The authority's draw of that year."""
        _covered(covers, authority)
        found = await self.draws.load(f"{authority}-{year}")
        if found is None:
            raise FollowUpDrawNotFound(f"no 跟踪评估 draw of {authority} for {year}")
        return found


def _same(found: FollowUpDrawn, asked: DrawFollowUp) -> FollowUpDrawn:
    """The recorded draw when asked with its seed (and share, if one is named); else refused:
    one draw per authority and year, so a draw cannot be made again until it suits."""
    if asked.seed == found.seed and asked.share in (None, found.share):
        return found
    raise FollowUpDrawnAlready(
        f"{found.authority}'s {found.year} draw was made on {found.drawn_on} with seed "
        f"{found.seed}, share {found.share}: one draw per authority and year"
    )


def _covered(covers: Covers, authority: str) -> None:
    if not covers(authority):
        raise OutsideClientArea(f"the key does not cover the authority {authority}")
