"""Handlers of the workflow's commands: load the round (and the application) through the
repositories, call one method of the aggregate, save its events with the read models in one
unit of work. One handler per command; acts are dated today (the clock)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from services.evaluation.app import round_commands as rc
from services.evaluation.app.application_steps import STEPS
from services.evaluation.app.errors import OrganizationNotFound, OutsideClientArea, VersionConflict
from services.evaluation.app.ports import EvaluationStore, Records, WorkflowIndex
from services.evaluation.app.streams import APPLICATIONS, CODEC, ROUNDS
from services.evaluation.app.views import Actor, ApplicationView, view
from services.evaluation.domain import errors as e
from services.evaluation.domain.application import Application
from services.evaluation.domain.application import Event as ApplicationEvent
from services.evaluation.domain.catalogue import Catalogue
from services.evaluation.domain.eligibility import Eligibility
from services.evaluation.domain.process import site_visit
from services.evaluation.domain.record import Record, Regime
from services.evaluation.domain.registry_record import from_confirmation
from services.evaluation.domain.round import Event as RoundEvent
from services.evaluation.domain.round import Round, check_window
from shared.clock import Clock
from shared.contracts.evaluation import ApplicationSubmitted, GradeConfirmed, RoundAnnounced
from shared.eventstore import WrongExpectedVersion
from shared.eventstore.repository import Repository
from shared.rules.rating import regime_of

Judge = Callable[[Record, date, Regime], Eligibility]
# the application's id: one per organization and round, so a second one is refused by the
# store itself (a new stream at version 0) even when two submissions race
NAMESPACE = uuid.UUID("6f0e8a52-3c1b-4d2e-9a7f-5b4c3d2e1f00")


@dataclass(frozen=True)
class Defaults:
    """The locality's terms for a round that does not name its own (settings.py)."""

    framework: str
    thresholds: str
    publicity_days: int
    review_days: int


def application_id(round_id: str, organization_id: str) -> str:
    return uuid.uuid5(NAMESPACE, f"{round_id}/{organization_id}").hex


class WorkflowHandlers:
    def __init__(
        self,
        *,
        store: EvaluationStore,
        records: Records,
        index: WorkflowIndex,
        catalogue: Catalogue,
        judge: Judge,
        defaults: Defaults,
        clock: Clock,
    ) -> None:
        self.store, self.records, self.index = store, records, index
        self.catalogue, self.judge, self.defaults, self.clock = catalogue, judge, defaults, clock
        self.rounds = Repository(
            store=store.events, codec=CODEC, stream_prefix=ROUNDS, replay=Round.replay
        )
        self.applications = Repository(
            store=store.events,
            codec=CODEC,
            stream_prefix=APPLICATIONS,
            replay=Application.replay,
        )

    # --- rounds ---------------------------------------------------------------------------

    async def round(self, command: rc.RoundCommand, actor: Actor) -> Round:
        """The round after the command, its events saved; or the refusal."""
        if (earlier := self.store.earlier_write()) is not None:
            return await self._round(earlier[0].removeprefix(ROUNDS), to_version=earlier[1])
        if isinstance(command, rc.AnnounceRound):
            return await self._announce(command, actor)
        return await self._close(command, actor)

    async def _announce(self, command: rc.AnnounceRound, actor: Actor) -> Round:
        _covered(actor, command.authority)
        today, d = self.clock.today(), self.defaults
        check_window(today, command.opens_on, command.closes_on)
        framework = command.framework or d.framework
        thresholds = command.thresholds or d.thresholds
        self.catalogue.framework(framework), self.catalogue.grades(thresholds)
        event = RoundAnnounced(
            round_id=uuid.uuid4().hex,
            authority=command.authority,
            title=command.title,
            announced_on=today,
            opens_on=command.opens_on,
            closes_on=command.closes_on,
            regime=regime_of(command.opens_on),  # the round's date chooses (DOMAIN.md, Rating)
            framework=framework,
            thresholds=thresholds,
            aggregate=command.aggregate,
            assessors=command.assessors,
            publicity_days=command.publicity_days or d.publicity_days,
            review_days=command.review_days or d.review_days,
        )
        after = Round(event.round_id, event, version=1)
        await self._commit(actor, after, [], round_event=(0, event))
        return after

    async def _close(self, command: rc.CloseRound, actor: Actor) -> Round:
        state = await self._covered_round(command.round_id, actor)
        today = self.clock.today()
        open_ones = [a for a in await self._applications(state.round_id) if a.status == "submitted"]
        # Every organization's record read at once, not one application at a time.
        found = await self.records.get_many({a.organization_id for a in open_ones})
        rechecks = [
            a.rechecked(today, self._reasons(a, found.get(a.organization_id), state, today))
            for a in open_ones
        ]
        closed = state.close(today, rechecks)
        after = state.apply(closed)
        changes = [(a, a.apply(r), r) for a, r in zip(open_ones, rechecks, strict=True)]
        await self._commit(actor, after, changes, round_event=(state.version, closed))
        return after

    def _reasons(
        self, found: Application, record: Record | None, state: Round, day: date
    ) -> list[str]:
        if record is None:
            return [f"organization {found.organization_id} is no longer on the register"]
        return list(self.judge(record, day, state.terms.regime).reasons)

    # --- applications ---------------------------------------------------------------------

    async def application(self, command: rc.ApplicationCommand, actor: Actor) -> ApplicationView:
        """The application after the command, its event saved; or the refusal."""
        if (earlier := self.store.earlier_write()) is not None:
            return await self._as_written(*earlier)
        if isinstance(command, rc.SubmitApplication):
            return await self._submit(command, actor)
        found = await self._application(command.application_id)
        state = await self._covered_round(found.submitted.round_id, actor)
        event = STEPS[type(command)](found, state, command, self.clock.today(), self.catalogue)
        after = found.apply(event)
        await self._commit(actor, state, [(found, after, event)], mark=after)
        return view(after, state, self.catalogue)

    async def _submit(self, command: rc.SubmitApplication, actor: Actor) -> ApplicationView:
        state = await self._covered_round(command.round_id, actor)
        today = self.clock.today()
        state.accepts(today)
        record = await self.records.get(command.organization_id)
        if record is None:
            raise OrganizationNotFound(f"no organization {command.organization_id} on the register")
        authority = state.terms.authority
        if record.registration_authority != authority:
            raise e.NotRoundAuthority(
                f"registered by {record.registration_authority or 'no authority (备案)'}: "
                f"round {state.round_id} rates what {authority} registered"
            )
        app_id = application_id(state.round_id, command.organization_id)
        if (earlier := await self.applications.load(app_id)) is not None:
            raise e.AlreadyApplied(f"application {app_id} of this round is {earlier.status}")
        judged = self.judge(record, today, state.terms.regime)
        if not judged.eligible:
            raise e.Ineligible(
                "not eligible: " + "; ".join(judged.reasons),
                regime=judged.regime,
                reasons=list(judged.reasons),
                rules=[{"rule": r.rule, "facts": list(r.facts)} for r in judged.failed],
            )
        event = ApplicationSubmitted(
            application_id=app_id,
            round_id=state.round_id,
            organization_id=command.organization_id,
            submitted_on=today,
            authority=authority,
            **vars(site_visit(record, state.terms.regime, today, command.simplified_site_visit)),
        )
        after = Application(event)
        await self._commit(actor, state, [(None, after, event)], mark=after)
        return view(after, state, self.catalogue)

    # --- loading and saving ---------------------------------------------------------------

    async def _round(self, round_id: str, *, to_version: int | None = None) -> Round:
        found = await self.rounds.load(round_id, to_version=to_version)
        if found is None:
            raise e.RoundNotFound(f"no round {round_id}")
        return found

    async def _covered_round(self, round_id: str, actor: Actor) -> Round:
        found = await self._round(round_id)
        _covered(actor, found.terms.authority)
        return found

    async def _application(self, app_id: str, *, to_version: int | None = None) -> Application:
        found = await self.applications.load(app_id, to_version=to_version)
        if found is None:
            raise e.ApplicationNotFound(f"no application {app_id}")
        return found

    async def _applications(self, round_id: str) -> list[Application]:
        """The round's applications in the order submitted, their streams read together."""
        ids = await self.index.applications(round_id)
        found = await self.applications.load_many(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise e.ApplicationNotFound(f"no application {missing[0]}")
        return [found[i] for i in ids]

    async def _as_written(self, stream: str, version: int) -> ApplicationView:
        """A retry of a request whose write is stored: its application, answered again."""
        found = await self._application(stream.removeprefix(APPLICATIONS), to_version=version)
        return view(found, await self._round(found.submitted.round_id), self.catalogue)

    async def _commit(
        self,
        actor: Actor,
        terms: Round,
        changes: Sequence[tuple[Application | None, Application, ApplicationEvent]],
        *,
        round_event: tuple[int, RoundEvent] | None = None,
        mark: Application | None = None,
    ) -> None:
        """The round's event (`terms` is the round after it) and the applications' events,
        with their rows (a confirmed grade: its record for the registry), in one unit of work;
        the Idempotency-Key marks the round's write, or the one application's."""
        division = terms.terms.authority
        try:
            async with self.store.unit_of_work() as uow:
                await uow.workflow.put_applications([after for _, after, _ in changes], terms)
                for before, after, event in changes:
                    if isinstance(event, GradeConfirmed):  # the grade goes to the registry
                        await uow.registry.add(from_confirmation(event), division)
                    version = before.version if before else 0
                    self.applications.save(
                        uow.events,
                        after.application_id,
                        version,
                        [event],
                        metadata=actor.metadata,
                        division=division,
                    )
                if round_event is not None:
                    await uow.workflow.put_round(terms)
                    self.rounds.save(
                        uow.events,
                        terms.round_id,
                        round_event[0],
                        [round_event[1]],
                        metadata=actor.metadata,
                        division=division,
                    )
                    await uow.mark_written(self.rounds.stream_of(terms.round_id), terms.version)
                elif mark is not None:
                    stream = self.applications.stream_of(mark.application_id)
                    await uow.mark_written(stream, mark.version)
        except WrongExpectedVersion as exc:
            if changes and changes[0][0] is None:
                taken = changes[0][1].application_id
                raise e.AlreadyApplied(f"application {taken} exists") from exc
            raise VersionConflict(f"changed meanwhile: {exc}; retry") from exc


def _covered(actor: Actor, authority: str) -> None:
    if not actor.covers(authority):
        raise OutsideClientArea(f"the key does not cover the round's authority {authority}")
