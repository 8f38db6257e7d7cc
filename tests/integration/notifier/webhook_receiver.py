"""A real HTTP receiver of webhooks for the tests: each path answers from its own script
(a status, `slow` to outlast the sender's timeout), then 200; it keeps what it was sent."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from fastapi import FastAPI, Request, Response


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answer: str  # as scripted: a status, or `slow`


@dataclass
class Receiver:
    scripts: dict[str, list[str]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    slow_seconds: float = 2.0

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hooks/{name}")
        async def hook(name: str, request: Request) -> Response:
            path = f"/hooks/{name}"
            script = self.scripts.get(path, [])
            answer = script.pop(0) if script else "200"
            body = await request.body()
            self.received.append(Received(path, dict(request.headers), body, answer))
            if answer == "slow":
                await asyncio.sleep(self.slow_seconds)
                answer = "200"
            status, _, retry_after = answer.partition("+")
            headers = {"Retry-After": retry_after} if retry_after else {}
            return Response(f"answer {status}", status_code=int(status), headers=headers)

        return app
