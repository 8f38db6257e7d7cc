"""Composition root of the registry service: `create_app` is the uvicorn factory.

The lifespan (shared/http/app.py) builds the platform; `extend` adds the registry's own parts
on top (bootstrap.py): the places file, the clock, the command handlers and the queries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.registry.adapters.places_file import load_places
from services.registry.api import (
    annual,
    categories,
    community,
    credit_lists,
    decisions,
    errors,
    exports,
    history,
    imports,
    organizations,
    penalties,
    places,
)
from services.registry.bootstrap import sql_registry
from services.registry.settings import RegistrySettings
from services.registry.spec import SPEC
from shared.clock import Clock, ShanghaiClock
from shared.http.app import Platform, create_service_app

ROUTERS = (
    organizations.router,
    community.router,
    annual.router,
    decisions.router,
    penalties.router,
    credit_lists.router,
    history.router,
    imports.router,
    exports.router,
    places.router,
    categories.router,
)


def create_app(settings: RegistrySettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or RegistrySettings()
    the_clock = clock or ShanghaiClock()

    @asynccontextmanager
    async def registry_parts(app: FastAPI, platform: Platform) -> AsyncIterator[None]:
        places = load_places(settings.places_file, settings.zones_file)
        app.state.registry = sql_registry(platform.store, places, the_clock, settings.reporting())
        yield

    app = create_service_app(SPEC, settings, routers=ROUTERS, extend=registry_parts)
    errors.install(app)
    return app
