"""The bureau's decisions on rating changes (confirm or dismiss a 39号 proposal, close a 2026
核查评估 or 跟踪评估 case with its result), and the expiry scan. A decision that changes the
grade writes its record for the registry in the same unit of work, as a confirmation does.
The expiry scan runs in one replica at a time: it holds a lease in the database
(shared.outbox.lease, as the relay and the notifier's scan do) while it lasts."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from services.evaluation.app.errors import ExpiryScanRunning, OutsideClientArea, VersionConflict
from services.evaluation.app.ports import EvaluationStore, ReactionIndex
from services.evaluation.app.streams import CODEC, EXPIRIES, REACTIONS
from services.evaluation.app.views import Actor
from services.evaluation.domain import errors as e
from services.evaluation.domain.rating_change import RatingChangeCase, to_record
from services.evaluation.domain.thresholds import Grade
from shared.clock import Clock
from shared.contracts.evaluation import GradeExpired, RatingChangeDecided, VerificationResult
from shared.eventstore import EventMetadata, WrongExpectedVersion
from shared.eventstore.repository import Repository
from shared.outbox.lease import Lease

BATCH = 200  # expiries per transaction


@dataclass(frozen=True, kw_only=True)
class DecideRatingChange:
    """Confirm or dismiss a proposal, or close a 核查评估 or 跟踪评估 case with its result."""

    reaction_id: str
    step: Literal["confirm", "dismiss", "close"]
    reason: str
    result: VerificationResult | None = None
    grade: Grade | None = None


def cases(store: EvaluationStore) -> Repository[RatingChangeCase]:
    """The rating changes' repository: one stream per case (rating-changes-<id>)."""
    return Repository(
        store=store.events, codec=CODEC, stream_prefix=REACTIONS, replay=RatingChangeCase.replay
    )


@dataclass(frozen=True)
class ExpiryResult:
    on: date
    expired: int


class ReactionHandlers:
    def __init__(
        self, *, store: EvaluationStore, index: ReactionIndex, clock: Clock, lease: Lease
    ) -> None:
        self.store, self.index, self.clock, self.lease = store, index, clock, lease
        self.cases = cases(store)
        self.lock = asyncio.Lock()  # one expiry scan at a time in a process

    async def decide(self, command: DecideRatingChange, actor: Actor) -> dict[str, Any]:
        """The reaction's row after the bureau's decision; or the refusal."""
        if self.store.earlier_write() is None:  # a retry whose write is stored: answer again
            await self._decide(command, actor)
        return await self.row(command.reaction_id, actor.covers)

    async def _decide(self, command: DecideRatingChange, actor: Actor) -> None:
        row = await self.row(command.reaction_id, actor.covers)
        found = await self.cases.load(command.reaction_id)
        assert found is not None, command.reaction_id
        event = self._event(found, command)
        after = found.apply(event)
        try:
            async with self.store.unit_of_work() as uow:
                await uow.reactions.put(after, row["division"])
                if event.changes_rating:
                    await uow.registry.add(to_record(found.raised, event), row["division"])
                self.cases.save(
                    uow.events,
                    command.reaction_id,
                    found.version,
                    [event],
                    metadata=actor.metadata,
                    division=row["division"],
                )
                stream = self.cases.stream_of(command.reaction_id)
                await uow.mark_written(stream, after.version)
        except WrongExpectedVersion as exc:
            raise VersionConflict(f"decided meanwhile: {exc}; retry") from exc

    def _event(self, case: RatingChangeCase, c: DecideRatingChange) -> RatingChangeDecided:
        today = self.clock.today()
        if c.step == "confirm":
            return case.confirm(today, c.reason)
        if c.step == "dismiss":
            return case.dismiss(today, c.reason)
        assert c.result is not None
        return case.close(today, c.result, c.grade, c.reason)

    async def row(self, reaction_id: str, covers: Any) -> dict[str, Any]:
        found = await self.index.get(reaction_id)
        if found is None:
            raise e.RatingChangeNotFound(f"no rating change {reaction_id}")
        if not covers(found["division"]):
            raise OutsideClientArea(f"the key does not cover place {found['division']}")
        return found

    async def rows(
        self, state: str | None, covers: Any, kind: str | None = None
    ) -> list[dict[str, Any]]:
        return [r for r in await self.index.rows(state, kind) if covers(r["division"])]

    async def expire(self, on: date, *, client: str = "evaluation") -> ExpiryResult:
        """Grades whose validity ended before `on` with no new decision, each recorded as
        expired once (grade_expired); a day scanned again records nothing."""
        async with self.lock, self._leased():
            found = await self.index.expired_by(on)
            metadata = EventMetadata(client=client, actor="expiry scan", extra={"on": str(on)})
            for i in range(0, len(found), BATCH):
                async with self.store.unit_of_work() as uow:
                    for g in found[i : i + BATCH]:
                        await uow.reactions.expired(g)
                        event = GradeExpired(
                            organization_id=g.organization_id,
                            grade=g.grade,
                            decided_on=g.decided_on,
                            valid_until=g.valid_until,
                            expired_on=g.valid_until + timedelta(days=1),
                        )
                        # one stream per grade: the store itself refuses a second record
                        uow.events.append(
                            f"{EXPIRIES}{g.organization_id}-{g.decided_on.isoformat()}",
                            0,
                            [CODEC.encode(event)],
                            metadata=metadata,
                            division=g.division,
                        )
            return ExpiryResult(on, len(found))

    @contextlib.asynccontextmanager
    async def _leased(self) -> AsyncIterator[None]:
        """The scan's lease, renewed every third of its time while the scan lasts."""
        if not await self.lease.try_acquire():
            raise ExpiryScanRunning(f"another process holds the {self.lease.name} lease")
        keep = asyncio.create_task(self._renew())
        try:
            yield
        finally:
            keep.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keep
            await self.lease.release()

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep((self.lease.ttl / 3).total_seconds())
            await self.lease.try_acquire()
