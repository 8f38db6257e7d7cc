"""The fault tier's write load: clients registering organizations and filing annual reports over
HTTP, each write retried under its own `Idempotency-Key` for as long as its outcome is unknown.

Only a 2xx acknowledges a write. A connection error, a timeout or a 5xx says nothing about
whether it was stored (a COMMIT may have landed before the connection died), so such a write
is sent again with the same key and body; if it never gets a final answer it stays "unknown",
and the checks count it neither way.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from tests.integration.registry.builders import organization

Outcome = Literal["acknowledged", "refused", "unknown"]
# Retries of one write while its outcome is unknown; with the backoff below, long enough to
# outlast a registry restart on a busy machine.
UNKNOWN_RETRIES = 150
BACKOFF_MAX = 0.5
# A request whose process was killed leaves its key claimed; retries are answered 409
# `idempotency-in-progress` until the claim is stale (the registry runs with this claim
# timeout, seconds), then one retry takes the key over: the retries outlast it.
CLAIM_TIMEOUT = 2.0
IN_PROGRESS_RETRIES = int(CLAIM_TIMEOUT / 0.1) * 3
YEARS = (2021, 2022, 2023, 2024)


@dataclass
class Write:
    path: str
    body: dict[str, Any]
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    outcome: Outcome = "unknown"
    status: int | None = None  # the final answer's status
    response: dict[str, Any] | None = None
    # Every attempt's answer ("201", "409 credit-code-taken": status and problem type) or error.
    seen: list[str] = field(default_factory=list)

    @property
    def uncertain_before(self) -> bool:
        """Whether an attempt before the final answer had an unknown outcome."""
        return any(_unknown(s.split()[0]) for s in self.seen[:-1])


@dataclass
class Ledger:
    """Every write the clients made, for the checks and for pacing the faults."""

    writes: list[Write] = field(default_factory=list)
    done: int = 0  # writes settled
    finished: asyncio.Event = field(default_factory=asyncio.Event)  # every client has returned
    _moved: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Write:
        w = Write(path, body)
        self.writes.append(w)
        await _settle(http, w)
        self.done += 1
        self._moved.set()
        return w

    def finish(self) -> None:
        self.finished.set()
        self._moved.set()

    async def reached(self, n: int) -> None:
        """Until `n` writes have settled (or the clients have all finished)."""
        while self.done < n and not self.finished.is_set():
            self._moved.clear()
            await self._moved.wait()

    def summary(self) -> dict[str, int]:
        counts = Counter(str(w.outcome) for w in self.writes)
        seen = Counter(f"seen {s}" for w in self.writes for s in w.seen)
        return dict(counts) | dict(sorted(seen.items()))

    def unknown(self) -> list[tuple[str, list[str]]]:
        """Each write left without a final answer (or refused after an unknown attempt)."""
        return [(w.path, w.seen) for w in self.writes if w.outcome == "unknown"]


async def _settle(http: httpx.AsyncClient, w: Write) -> None:
    headers = {"Idempotency-Key": w.key}
    backoff, unknown, in_progress = 0.05, 0, 0
    while unknown < UNKNOWN_RETRIES and in_progress < IN_PROGRESS_RETRIES:
        try:
            r = await http.post(w.path, json=w.body, headers=headers)
        except httpx.TransportError as exc:
            w.seen.append(type(exc).__name__)
            unknown += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX)
            continue
        slug = _problem_type(r) if r.status_code >= 400 else ""
        w.seen.append(f"{r.status_code} {slug}".strip())
        if r.status_code >= 500:
            unknown += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX)
            continue
        if r.status_code == 409 and slug == "idempotency-in-progress":
            in_progress += 1
            await asyncio.sleep(0.1)
            continue
        w.status = r.status_code
        w.response = r.json()
        if r.is_success:
            w.outcome = "acknowledged"
        else:
            # A refusal after an attempt of unknown outcome is usually that attempt's own
            # success seen again (409: the credit code or year is taken): unknown still.
            w.outcome = "unknown" if w.uncertain_before else "refused"
        return


def _unknown(answer: str) -> bool:
    return not answer.isdigit() or int(answer) >= 500


def _problem_type(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return ""
    return str(body.get("type", "")).rsplit(":", 1)[-1] if isinstance(body, dict) else ""


async def client(
    http: httpx.AsyncClient, ledger: Ledger, first: int, organizations: int, more: asyncio.Event
) -> None:
    """Register organizations numbered from `first`, filing each one's reports once it is
    acknowledged; at least `organizations` of them, and on while `more` is set (the faults
    are not all done), up to ten times as many."""
    n = 0
    while n < organizations or (more.is_set() and n < 10 * organizations):
        reg = await ledger.send(
            http, "/v1/organizations", organization(first + n, registered_on="2020-05-01")
        )
        n += 1
        if reg.outcome != "acknowledged":
            continue
        assert reg.response is not None
        for year in YEARS:
            body = {"year": year, "submitted_on": f"{year + 1}-03-01", "staff_employed": 3}
            await ledger.send(http, f"/v1/organizations/{reg.response['id']}/annual-reports", body)
