"""The FastAPI application every service is built on: its lifespan is the composition root.

(Over 300 lines: the lifespan and the standard endpoints are one composition root.)

Nothing connects at import. `create_service_app` wires the shared platform (database engine,
event store, API keys, idempotency, NATS) and the standard endpoints (`/healthz`, `/readyz`,
`/metrics`, `/openapi.json`, `/docs` and `/redoc` served offline; for a service whose spec
names a stream, its relay, feed and `/asyncapi.json`; for one with projections, its consumer
runners); each service adds its routers and its own start-up through `extend`.

Longer than 300 lines on purpose: the lifespan and the parts it starts are one composition root.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import VERSION, logs
from shared.consumer import ConsumerConfig, ConsumerRunner, Consumers, Projection
from shared.contracts.asyncapi import asyncapi_document
from shared.db import is_sqlite, make_async_engine
from shared.eventstore import EventTooLarge
from shared.eventstore.sql import SqlEventStore
from shared.http import problems
from shared.http.bodylimit import BodyLimitMiddleware, BodyTooLarge, on_body_too_large
from shared.http.consumers_api import consumers_router
from shared.http.feed import Waker, feed_router
from shared.http.idempotency import IdempotencyMiddleware, IdempotencyStore
from shared.http.keys import KeyStore
from shared.http.observe import ObserveMiddleware
from shared.natslink import NatsLink
from shared.outbox import blocked as relay_blocked
from shared.outbox.config import RelayConfig
from shared.outbox.relay import Relay
from shared.redact import scrub
from shared.settings import ServiceSettings
from shared.spec import ServiceSpec

log = logging.getLogger("socorg.http")
DOCS_ASSETS = "/docs-assets"
ReadinessCheck = Callable[[], Awaitable[tuple[bool, str]]]


@dataclass
class Platform:
    """What the lifespan builds and every route and consumer of a service shares."""

    settings: ServiceSettings
    engine: AsyncEngine
    nats: NatsLink
    store: SqlEventStore
    checks: dict[str, ReadinessCheck] = field(default_factory=dict)


Extension = Callable[[FastAPI, Platform], AbstractAsyncContextManager[None]]


def create_service_app(
    spec: ServiceSpec,
    settings: ServiceSettings,
    *,
    routers: Sequence[APIRouter] = (),
    extend: Extension | None = None,
) -> FastAPI:
    """The app of the service `spec` describes: its stream (relay, feed, `/asyncapi.json`)
    and projections (consumer runners) come from the spec, its routes and start-up from here."""
    service = spec.name
    produces_events = spec.stream is not None
    projections = spec.projections

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logs.configure(service, settings.log_level, secrets=settings.secret_values())
        database_url = settings.database_url.get_secret_value()
        engine = make_async_engine(database_url, pool_size=settings.database_pool_size)
        link = NatsLink(settings.nats_url.get_secret_value(), name=f"socorg-{service}")
        autocommit = (
            None
            if is_sqlite(database_url)
            else make_async_engine(database_url, isolation_level="AUTOCOMMIT")
        )
        store = SqlEventStore(
            engine, autocommit=autocommit, max_event_bytes=settings.event_max_bytes
        )
        platform = Platform(settings, engine, link, store)
        platform.checks["database"] = lambda: _database_ok(engine)
        platform.checks["nats"] = lambda: _nats_ok(link)
        if produces_events:  # wherever its relay runs (here, or `socorg relay` on its own)
            platform.checks["relay"] = lambda: relay_blocked.readiness(engine, service)
        app.state.settings = settings
        app.state.platform = platform
        app.state.keys = KeyStore(engine)
        app.state.idempotency = IdempotencyStore(
            engine,
            timedelta(hours=settings.idempotency_ttl_hours),
            timedelta(seconds=settings.idempotency_claim_timeout_seconds),
        )
        waker = Waker()
        platform.store.on_commit.append(waker.kick)
        app.state.feed_waker = waker
        link.start()
        async with AsyncExitStack() as stack:
            stack.push_async_callback(engine.dispose)
            if autocommit is not None:
                stack.push_async_callback(autocommit.dispose)
            stack.push_async_callback(link.close)
            await stack.enter_async_context(
                _sweeping(app.state.idempotency, settings.idempotency_sweep_seconds)
            )
            if produces_events and settings.relay_enabled:
                await stack.enter_async_context(_relay(service, platform))
            if projections is not None:
                await stack.enter_async_context(_consumers(app, platform, projections(platform)))
            if extend is not None:
                await stack.enter_async_context(extend(app, platform))
            _settle_heap()
            yield

    # /docs and /redoc load Swagger UI and ReDoc from the installed package, not a CDN: the
    # pages must work on a network without internet.
    app: FastAPI = FastAPIOffline(
        static_url=DOCS_ASSETS,
        title=f"socorg {service}",
        version=VERSION,
        description=spec.description,
        lifespan=lifespan,
        responses={
            422: {"description": "invalid request (problem+json)"},
        },
    )
    problems.install(app)
    app.add_exception_handler(EventTooLarge, _on_event_too_large)
    app.add_exception_handler(BodyTooLarge, on_body_too_large)
    # Inside the idempotency middleware, which refuses a larger body of its own with advice
    # on Idempotency-Key; both limits are 1 MiB.
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(ObserveMiddleware)
    app.include_router(_ops_router(spec))
    if produces_events:
        app.include_router(feed_router(service))
    if projections is not None:
        app.include_router(consumers_router(service))
    for router in routers:
        app.include_router(router)
    return app


async def _on_event_too_large(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EventTooLarge)
    detail = (
        f"the {exc.event_type} event this request makes would be {exc.size} bytes; "
        f"events are limited to {exc.limit} bytes (EVENT_MAX_BYTES): nothing was written"
    )
    problem = problems.Problem(
        413, "event-too-large", detail, size_bytes=exc.size, limit_bytes=exc.limit
    )
    return problems.problem_response(request, problem)


_HEAP = {"settle": False}


def settle_heap_after_startup() -> None:
    """Called by a process that serves one app and nothing else (`socorg serve`)."""
    _HEAP["settle"] = True


def _settle_heap() -> None:
    """Collect startup garbage, then exempt what startup built (the app, its routes and
    schemas, the place tree, the pools) from every later collection: those objects live as
    long as the process, and scanning them on each full collection while requests allocate
    cost an import about a fifth of its CPU per row. Only in a process that serves this app
    alone: frozen objects are never collected, which a test run creating many apps must not
    pay for."""
    if _HEAP["settle"]:
        gc.collect()
        gc.freeze()


@asynccontextmanager
async def _consumers(
    app: FastAPI, platform: Platform, projections: Sequence[Projection]
) -> AsyncIterator[None]:
    consumers = Consumers()
    for p in projections:
        config = ConsumerConfig.from_settings(platform.settings)
        runner = ConsumerRunner(
            platform.engine, platform.nats, p, config, on_commit=platform.store.on_commit
        )
        consumers.add(runner)
    app.state.consumers = consumers
    platform.checks["consumers"] = consumers.readiness
    await consumers.start()
    try:
        yield
    finally:
        await consumers.stop(platform.settings.shutdown_grace_seconds)


@asynccontextmanager
async def _sweeping(store: IdempotencyStore, every: float) -> AsyncIterator[None]:
    """Expired Idempotency-Keys removed now and every `every` seconds while the app runs."""

    async def sweep() -> None:
        while True:
            try:
                await store.sweep()
            except Exception:  # the database may be away: try again next time
                log.warning("sweeping expired idempotency keys failed", exc_info=True)
            await asyncio.sleep(every)

    task = asyncio.create_task(sweep(), name="idempotency-sweep")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@asynccontextmanager
async def _relay(service: str, platform: Platform) -> AsyncIterator[None]:
    s = platform.settings
    relay = Relay(
        store=platform.store,
        link=platform.nats,
        producer=service,
        config=RelayConfig.from_settings(s),
    )
    platform.store.on_commit.append(relay.kick)
    task = asyncio.create_task(relay.run(), name=f"relay-{service}")
    try:
        yield
    finally:
        relay.stop()
        try:
            await asyncio.wait_for(task, timeout=s.shutdown_grace_seconds)
        except TimeoutError:
            pass


async def _database_ok(engine: AsyncEngine) -> tuple[bool, str]:
    try:
        async with asyncio.timeout(2):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure
        return False, f"{type(exc).__name__}: {exc}".splitlines()[0][:200]


async def _nats_ok(link: NatsLink) -> tuple[bool, str]:
    return (True, "ok") if link.is_connected else (False, "not connected")


def _ops_router(spec: ServiceSpec) -> APIRouter:
    service = spec.name
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok", "service": service}

    @router.get("/readyz", responses={503: {"description": "a dependency is not reachable"}})
    async def readyz(request: Request) -> JSONResponse:
        """Database and NATS reachable (and consumers not stalled): ready for traffic."""
        platform: Platform = request.app.state.platform
        names = list(platform.checks)
        results = await asyncio.gather(*(platform.checks[n]() for n in names))
        secrets = platform.settings.secret_values()  # a driver's message may quote its URL
        checks = {
            n: {"ok": ok, "detail": scrub(d, secrets)}
            for n, (ok, d) in zip(names, results, strict=True)
        }
        ready = all(ok for ok, _ in results)
        body: dict[str, Any] = {"ready": ready, "checks": checks}
        if ready:
            return JSONResponse(body)
        failing = ", ".join(n for n, (ok, _) in zip(names, results, strict=True) if not ok)
        return JSONResponse(
            {
                "type": "urn:socorg:problem:not-ready",
                "title": "Service Unavailable",
                "status": 503,
                "detail": f"not ready: {failing}",
                **body,
            },
            status_code=503,
            media_type=problems.MEDIA_TYPE,
        )

    @router.get("/metrics", response_class=Response)
    async def metrics() -> Response:
        """Prometheus metrics of this process."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    if spec.stream is not None:

        @router.get("/asyncapi.json")
        async def asyncapi(request: Request) -> dict[str, Any]:
            """AsyncAPI 3.0 description of the events this service publishes."""
            settings: ServiceSettings = request.app.state.settings
            nats_url = settings.nats_url.get_secret_value()
            return asyncapi_document(spec, version=VERSION, nats_url=nats_url)

    return router
