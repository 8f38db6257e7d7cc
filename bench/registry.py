"""The registry over HTTP, served as the product runs it, beside raw references.

- registration: POST /v1/organizations on the registry (`python -m shared.cli serve registry`,
  its own uvicorn process, PostgreSQL, its relay publishing to the bench's nats-server) and on
  a bare FastAPI endpoint (`bench/bare.py`, same uvicorn options), each driven by the same
  load generator: httpx.AsyncClient, 16 concurrent tasks, keep-alive, the same bodies;
- import: POST /v1/imports of a `ningbo`-profile NDJSON file, timed to its summary line,
  beside a psycopg COPY of everything it wrote (events, organizations, annual reports) into
  tables LIKE them INCLUDING ALL, and of the read-model rows alone;
- reads: GET /v1/organizations (realistic filters, first and later cursor pages) and
  GET /v1/organizations/{id} (random ids), one request at a time, on a register filled with
  the `national` profile (bench/national.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import nats
import psycopg

from bench.common import CONCURRENCY, conninfo, pg_url, stop
from services.registry.adapters.places_file import load_places
from services.registry.adapters.tables import annual_reports, organizations
from services.registry.app.streams import stream_of
from services.registry.demo.generate import generate
from services.registry.demo.profiles import NINGBO, WUHAN
from shared import natsserver
from shared.settings import DEV_API_KEY
from shared.tables import events as events_table

AUTH = {"Authorization": f"Bearer {DEV_API_KEY}"}
REGISTRATION_FIELDS = (
    "credit_code",
    "name",
    "kind",
    "level",
    "domicile",
    "registered_on",
    "category",
    "legal_representative",
)
ORG_COLUMNS = tuple(c.name for c in organizations.columns)


@dataclass(frozen=True)
class Latencies:
    """Requests (or rows) over a wall time, with each request's latency."""

    name: str
    count: int
    seconds: float
    latencies: list[float] = field(repr=False, default_factory=list)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0

    def pct(self, q: float) -> float:
        """Nearest-rank percentile in milliseconds (0 without latencies)."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] * 1000

    @property
    def p50_ms(self) -> float:
        return self.pct(50)

    @property
    def p99_ms(self) -> float:
        return self.pct(99)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "count": self.count,
            "seconds": round(self.seconds, 4),
            "per_s": round(self.rate, 1),
            "note": self.note,
        }
        if self.latencies:
            out |= {
                "p50_ms": round(self.p50_ms, 2),
                "p99_ms": round(self.p99_ms, 2),
                "max_ms": round(max(self.latencies) * 1000, 2),
            }
        return out | self.extra


# ---- servers ---------------------------------------------------------------------------


@contextmanager
def serve(what: str, cmd: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    """Start a server process, wait for /readyz, yield its URL; stop it (and only it) after."""
    log = Path(tempfile.mkstemp(prefix=f"socorg-bench-{what}-", suffix=".log")[1])
    with log.open("ab") as out:
        proc = subprocess.Popen(
            cmd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(timeout=2) as http:
            while True:
                if proc.poll() is not None:
                    tail = log.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{what} exited with {proc.returncode}:\n{tail}")
                try:
                    if http.get(url + "/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{what} not ready after 60s; see {log}")
                time.sleep(0.2)
        yield url
    finally:
        stop(proc)
        log.unlink(missing_ok=True)


@contextmanager
def registry_server(db: str, nats_url: str, *, relay: bool = True) -> Iterator[str]:
    """The registry API process; with `relay`, its relay as a process of its own beside it
    (`socorg relay registry`, as deploy/ runs them), publishing while the API is measured."""
    port = natsserver.free_port()
    env = {
        "SOCORG_REGISTRY_MODE": "development",
        "SOCORG_REGISTRY_DATABASE_URL": pg_url(db),
        "SOCORG_REGISTRY_NATS_URL": nats_url,
        "SOCORG_REGISTRY_HOST": "127.0.0.1",
        "SOCORG_REGISTRY_PORT": str(port),
        "SOCORG_REGISTRY_RELAY_ENABLED": "false",
    }
    with contextlib.ExitStack() as stack:
        if relay:
            stack.enter_context(relay_process(env))
        url = stack.enter_context(
            serve("registry", [sys.executable, "-m", "shared.cli", "serve", "registry"], env, port)
        )
        yield url


@contextmanager
def relay_process(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    cmd = [sys.executable, "-m", "shared.cli", "relay", "registry"]
    proc = subprocess.Popen(
        cmd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield proc
    finally:
        stop(proc)


@contextmanager
def bare_server() -> Iterator[str]:
    port = natsserver.free_port()
    with serve("bare", [sys.executable, "-m", "bench.bare", str(port)], {}, port) as url:
        yield url


def lean_session(url: str, connections: int = 1) -> aiohttp.ClientSession:
    """An aiohttp session for the latency figures of one service and the steady loads beside
    one: its CPU per request is about a fifth of httpx's (0.4 against 2.3 ms, measured here
    against bench/bare.py), which on two cores would otherwise be added to each latency or
    taken from the services measured; and its pool, unlike httpcore's, does not rescan every
    waiting request at each release."""
    return aiohttp.ClientSession(
        url,
        headers=AUTH,
        connector=aiohttp.TCPConnector(limit=connections),
        timeout=aiohttp.ClientTimeout(total=60),
    )


def client(url: str, connections: int = 1) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=url, headers=AUTH, limits=limits, timeout=60)


# ---- registration ----------------------------------------------------------------------


def registration_bodies(n: int, seed: int) -> list[bytes]:
    """`n` registration bodies: the `wuhan` demo profile's legal persons, kinds mixed."""
    factor = max(1.0, 1.05 * n / WUHAN.legal_total)
    profile = WUHAN.scaled(factor) if factor > 1.0 else WUHAN
    rows = [
        {k: r[k] for k in REGISTRATION_FIELDS if k in r}
        for r in generate(profile, load_places(), seed=seed)
        if r["kind"] != "community_org"
    ]
    random.Random(seed).shuffle(rows)
    return [json.dumps(r, ensure_ascii=False).encode() for r in rows[:n]]


async def drive(url: str, bodies: list[bytes], name: str, note: str) -> Latencies:
    """POST each body to /v1/organizations from CONCURRENCY tasks; every answer must be 201.

    Each task has its own keep-alive connection (an httpx.AsyncClient of one connection):
    one client shared by 16 tasks spends most of its time in httpcore's pool bookkeeping,
    and the load generator, not the server, would then set the figure.
    """
    latencies: list[float] = []
    queue = iter(bodies)
    headers = {"Content-Type": "application/json"}

    async def worker(http: httpx.AsyncClient) -> None:
        for body in queue:
            start = time.perf_counter()
            r = await http.post("/v1/organizations", content=body, headers=headers)
            latencies.append(time.perf_counter() - start)
            if r.status_code != 201:
                raise RuntimeError(f"{name}: {r.status_code} {r.text[:300]}")

    clients = [client(url, connections=1) for _ in range(CONCURRENCY)]
    try:
        for http in clients:  # connect before the clock starts
            await http.get("/readyz")
        started = time.perf_counter()
        await asyncio.gather(*(worker(http) for http in clients))
        seconds = time.perf_counter() - started
    finally:
        for http in clients:
            await http.aclose()
    return Latencies(name, len(bodies), seconds, latencies, note)


async def register(
    db: str, nats_url: str, n: int, warmup: int, log: Any
) -> tuple[Latencies, Latencies]:
    bodies = registration_bodies(2 * warmup + n, seed=11)
    warm, main = bodies[: 2 * warmup], bodies[2 * warmup :]
    with bare_server() as url:
        await drive(url, warm[:warmup], "bare", "")
        bare = await drive(
            url,
            main,
            "bare FastAPI POST",
            f"bench/bare.py: pydantic parse + 201, uvicorn; {CONCURRENCY} httpx tasks",
        )
    log(_line(bare))
    with registry_server(db, nats_url) as url:
        await drive(url, warm[warmup:], "registry", "")
        api = await drive(
            url,
            main,
            "POST /v1/organizations",
            "registry over HTTP (uvicorn, PostgreSQL, its relay process publishing); "
            f"{CONCURRENCY} httpx tasks",
        )
    log(_line(api))
    return api, bare


def _line(f: Latencies, unit: str = "req/s") -> str:
    lat = f"  p50 {f.p50_ms:.1f} ms  p99 {f.p99_ms:.1f} ms" if f.latencies else ""
    return f"  {f.name:<38} {f.rate:>10,.0f} {unit}{lat}  ({f.count} in {f.seconds:.2f}s)"


# ---- import ----------------------------------------------------------------------------


def write_import_file(path: Path, rows: int, seed: int) -> int:
    profile = NINGBO.scaled(rows / NINGBO.total)
    n = 0
    with path.open("wb") as f:
        for row in generate(profile, load_places(), seed=seed):
            f.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
            n += 1
    return n


async def post_import(url: str, path: Path) -> tuple[float, dict[str, Any]]:
    """POST the file to /v1/imports (streamed); seconds until the summary line, the summary."""

    async def chunks() -> AsyncIterator[bytes]:
        with path.open("rb") as f:
            while chunk := f.read(256 * 1024):
                yield chunk

    headers = {"Content-Type": "application/x-ndjson"}
    started = time.perf_counter()
    async with (
        client(url) as http,
        http.stream("POST", "/v1/imports", content=chunks(), headers=headers) as r,
    ):
        if r.status_code != 200:
            raise RuntimeError(f"import: {r.status_code} {(await r.aread())[:300]!r}")
        async for line in r.aiter_lines():
            if line and (msg := json.loads(line)).get("type") == "summary":
                return time.perf_counter() - started, msg
    raise RuntimeError("import: no summary line")


# What the import writes, table by table: the columns a raw COPY fills (every one but the
# events' position, which the copy draws from its own sequence as an insert would).
WRITTEN = {
    "events": tuple(c.name for c in events_table.columns if c.name != "position"),
    "organizations": ORG_COLUMNS,
    "annual_reports": tuple(c.name for c in annual_reports.columns),
}


async def raw_copy(
    db: str, rows: dict[str, list[tuple[Any, ...]]], tables: tuple[str, ...], name: str, note: str
) -> Latencies:
    """One COPY per table of `rows` into fresh tables LIKE them INCLUDING ALL (same columns,
    indexes, constraints, defaults), in one transaction; rows/s counted in organizations."""
    async with await psycopg.AsyncConnection.connect(conninfo(db), autocommit=True) as conn:
        for table in tables:
            await conn.execute(f"DROP TABLE IF EXISTS bench_copy_{table}")
            await conn.execute(f"CREATE TABLE bench_copy_{table} (LIKE {table} INCLUDING ALL)")
        started = time.perf_counter()
        async with conn.transaction(), conn.cursor() as cur:
            for table in tables:
                columns = ", ".join(WRITTEN[table])
                async with cur.copy(f"COPY bench_copy_{table} ({columns}) FROM STDIN") as copy:
                    for row in rows[table]:
                        await copy.write_row(row)
        seconds = time.perf_counter() - started
        for table in tables:
            await conn.execute(f"DROP TABLE bench_copy_{table}")
    return Latencies(name, len(rows["organizations"]), seconds, note=note)


async def relay_drained(db: str, nats_url: str, within: float = 300.0) -> float:
    """Seconds until the REGISTRY stream holds every stored event (the relay published the
    import's events); the clock starts when called, right after the import's summary."""
    started = time.perf_counter()
    async with await psycopg.AsyncConnection.connect(conninfo(db)) as conn:
        stored = (await (await conn.execute("SELECT count(*) FROM events")).fetchone() or [0])[0]
    nc = await nats.connect(nats_url, name="socorg-bench-drain")
    try:
        js = nc.jetstream()
        while (await js.stream_info("REGISTRY")).state.messages < stored:
            if time.perf_counter() - started > within:
                raise TimeoutError(f"the relay did not publish {stored} events in {within}s")
            await asyncio.sleep(0.05)
    finally:
        await nc.close()
    return time.perf_counter() - started


async def written_by_import(db: str, before: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows the import wrote: the organizations not there before, their events, reports."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    async with await psycopg.AsyncConnection.connect(conninfo(db)) as conn:
        cur = await conn.execute(
            f"SELECT {', '.join(ORG_COLUMNS)} FROM organizations WHERE id <> ALL(%s)", (before,)
        )
        out["organizations"] = await cur.fetchall()
        ids = [r[ORG_COLUMNS.index("id")] for r in out["organizations"]]
        cur = await conn.execute(
            f"SELECT {', '.join(WRITTEN['annual_reports'])} FROM annual_reports "
            "WHERE organization_id = ANY(%s)",
            (ids,),
        )
        out["annual_reports"] = await cur.fetchall()
        # JSON columns as their text, which COPY takes as is
        selected = [f"{c}::text" if c in ("data", "metadata") else c for c in WRITTEN["events"]]
        cur = await conn.execute(
            f"SELECT {', '.join(selected)} FROM events WHERE stream_id = ANY(%s) ORDER BY position",
            ([stream_of(i) for i in ids],),
        )
        out["events"] = await cur.fetchall()
    return out


async def imports(
    db: str, nats_url: str, rows: int, tmp: Path, log: Any
) -> tuple[Latencies, Latencies, Latencies]:
    """The import, beside a raw COPY of what it wrote and of its read-model rows alone."""
    warm_file, main_file = tmp / "import-warm.ndjson", tmp / "import.ndjson"
    write_import_file(warm_file, max(200, rows // 20), seed=21)
    n = write_import_file(main_file, rows, seed=22)
    with registry_server(db, nats_url) as url:
        await post_import(url, warm_file)
        async with await psycopg.AsyncConnection.connect(conninfo(db)) as conn:
            cur = await conn.execute("SELECT id FROM organizations")
            before = [r[0] for r in await cur.fetchall()]
        seconds, summary = await post_import(url, main_file)
        drained = await relay_drained(db, nats_url)
    if summary.get("failed"):
        raise RuntimeError(f"import: {summary['failed']} rows failed: {summary}")
    written = await written_by_import(db, before)
    if len(written["organizations"]) != n:
        raise RuntimeError(f"import: {len(written['organizations'])} organizations, {n} rows sent")
    counts = {table: len(found) for table, found in written.items()}
    imported = Latencies(
        "POST /v1/imports",
        n,
        seconds,
        note=f"ningbo profile NDJSON ({n} rows, seed 22), streamed, default batch size, "
        "timed to the summary line (its relay process publishing meanwhile)",
        extra={
            "summary": {k: v for k, v in summary.items() if k != "type"},
            "wrote": counts,
            "relay_done_after_summary_s": round(drained, 2),
        },
    )
    log(_line(imported, "rows/s"))
    log(f"  {'(its relay published every event':<38} {drained:>10.2f} s after the summary)")
    raw = await raw_copy(
        db,
        written,
        ("events", "organizations", "annual_reports"),
        "raw psycopg COPY of what it wrote",
        f"the rows the import wrote ({counts}), read back and written again by one COPY per "
        "table into tables LIKE events / organizations / annual_reports INCLUDING ALL (same "
        "columns, indexes, constraints), one transaction; per organization",
    )
    log(_line(raw, "rows/s"))
    read_model = await raw_copy(
        db,
        written,
        ("organizations",),
        "raw psycopg COPY of the read model",
        "the imported organizations' read-model rows alone, one COPY into a table LIKE "
        "organizations INCLUDING ALL (extra figure: an import also writes the events)",
    )
    log(_line(read_model, "rows/s"))
    return imported, raw, read_model


# ---- reads -----------------------------------------------------------------------------

# Searches a clerk makes on a national register (places of the profile's three cities).
AGENCY = "social_service_agency"
LIST_QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("district", {"place": "420106"}),
    ("district+kind+status", {"place": "330212", "kind": AGENCY, "status": "active"}),
    ("city+kind", {"place": "420100", "kind": "social_group"}),
    ("street+status", {"place": "420106001", "status": "active"}),
    ("grade", {"grade": "5A"}),
    ("name 2 chars", {"name_contains": "养老"}),
    ("name 3 chars+city", {"name_contains": "舞蹈队", "place": "330200"}),
    ("name of a community", {"name_contains": "尚隆苑"}),
    ("year+kind", {"registered_from": "2020-01-01", "registered_to": "2020-12-31", "kind": AGENCY}),
    ("deregistered+city", {"status": "deregistered", "place": "511800"}),
)  # fmt: skip
CURSOR_PAGES = (("district", 5), ("city+kind", 5), ("year+kind", 5))  # (query, page number)


async def _get(http: httpx.AsyncClient, path: str, params: dict[str, str]) -> tuple[float, Any]:
    start = time.perf_counter()
    r = await http.get(path, params=params)
    took = time.perf_counter() - start
    if r.status_code != 200:
        raise RuntimeError(f"GET {path} {params}: {r.status_code} {r.text[:300]}")
    return took, r.json()


async def reads(
    url: str, db: str, requests: int, count: int, log: Any
) -> tuple[Latencies, Latencies]:
    """List and get latencies, one request at a time, `requests` of each."""
    queries = dict(LIST_QUERIES)
    async with client(url) as http:
        # warm-up: each query once, and the cursors of the later pages
        plan: list[tuple[str, dict[str, str]]] = list(LIST_QUERIES)
        totals: dict[str, int] = {}
        for name, params in LIST_QUERIES:
            _, page = await _get(http, "/v1/organizations", params)
            totals[name] = page["total"]
        for name, page_no in CURSOR_PAGES:
            params = queries[name]
            for _ in range(page_no - 1):
                _, page = await _get(http, "/v1/organizations", params)
                if not page.get("next_cursor"):
                    break
                params = {**queries[name], "cursor": page["next_cursor"]}
            label = f"{name}, page {page_no}"
            totals[label] = page["total"]
            plan.append((label, params))
        by_query: dict[str, list[float]] = {name: [] for name, _ in plan}
        latencies: list[float] = []
        started = time.perf_counter()
        for i in range(requests):
            name, params = plan[i % len(plan)]
            took, _ = await _get(http, "/v1/organizations", params)
            latencies.append(took)
            by_query[name].append(took)
        listed = time.perf_counter() - started

        async with await psycopg.AsyncConnection.connect(conninfo(db)) as conn:
            cur = await conn.execute(
                "SELECT id FROM organizations ORDER BY random() LIMIT %s", (requests + 30,)
            )
            ids = [r[0] for r in await cur.fetchall()]
        for oid in ids[:30]:
            await _get(http, f"/v1/organizations/{oid}", {})
        got: list[float] = []
        started = time.perf_counter()
        for oid in ids[30:]:
            took, _ = await _get(http, f"/v1/organizations/{oid}", {})
            got.append(took)
        got_seconds = time.perf_counter() - started

    def stats(xs: list[float]) -> dict[str, float]:
        f = Latencies("", len(xs), sum(xs), xs)
        return {
            "requests": len(xs),
            "p50_ms": round(f.p50_ms, 2),
            "p99_ms": round(f.p99_ms, 2),
            "max_ms": round(max(xs) * 1000, 2),
        }

    listing = Latencies(
        "GET /v1/organizations",
        requests,
        listed,
        latencies,
        note=f"{len(plan)} searches in turn (limit 50, total counted), one request at a time, "
        f"on {count:,} organizations",
        extra={
            "organizations_count": count,
            "by_query": {
                name: {"params": {k: v for k, v in params.items() if k != "cursor"}}
                | stats(by_query[name])
                | {"total": totals[name]}
                for name, params in plan
            },
        },
    )
    getting = Latencies(
        "GET /v1/organizations/{id}",
        len(got),
        got_seconds,
        got,
        note=f"random ids, folded from the event stream, one at a time, on {count:,} organizations",
        extra={"organizations_count": count},
    )
    log(_line(listing))
    for name, _ in plan:
        s = stats(by_query[name])
        log(
            f"    {name:<26} p50 {s['p50_ms']:>6.1f} ms  max {s['max_ms']:>6.1f} ms"
            f"  ({totals[name]:,} match)"
        )
    log(_line(getting))
    return listing, getting
