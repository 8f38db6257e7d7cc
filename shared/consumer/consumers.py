"""The consumer runners of one service, started in its lifespan and reported by `/readyz` (one
waiting for its stream is ready: the service serves what it has)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from shared.consumer.runner import ConsumerRunner


@dataclass
class Consumers:
    runners: dict[str, ConsumerRunner] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    rebuilds: dict[str, asyncio.Task[int]] = field(default_factory=dict)

    def add(self, runner: ConsumerRunner) -> None:
        self.runners[runner.projection.name] = runner

    async def start(self) -> None:
        """Create every projection's tables, then start the runners: a reader never meets a
        projection whose tables do not exist yet."""
        for runner in self.runners.values():
            await runner.create_tables()
        for name, runner in self.runners.items():
            self.tasks.append(asyncio.create_task(runner.run(), name=f"consumer-{name}"))

    async def stop(self, grace: float) -> None:
        for runner in self.runners.values():
            runner.stop()
        for rebuild in self.rebuilds.values():
            rebuild.cancel()
        if self.tasks:
            _, pending = await asyncio.wait(self.tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def readiness(self) -> tuple[bool, str]:
        stalled = [n for n, r in self.runners.items() if r.stalled()]
        if stalled:
            return False, f"stalled: {', '.join(stalled)}"
        lags = ", ".join(
            f"{n} lag {r.lag}" if r.waiting is None else f"{n} waiting ({r.waiting})"
            for n, r in self.runners.items()
        )
        return True, lags or "no consumers"
