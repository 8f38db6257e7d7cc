"""What a service tells the platform about itself: one `ServiceSpec` in services/<name>/spec.py.

The CLI, the launcher, migrations, the relay, AsyncAPI, the contracts' producer check and the
catalog all read these (shared/catalog.py finds them); nothing in shared/ names a service.
A spec module imports only its settings and cheap things: the contracts check reads the specs
while a contracts module is being imported, so heavy parts are named by import path.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.settings import ServiceSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from shared.consumer import Projection
    from shared.http.app import Platform


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    settings: type[ServiceSettings]
    description: str
    # "package.module:function", the uvicorn factory taking an optional settings object
    app: str
    # the folder holding the service's Alembic `versions/`
    migrations: Path
    # the JetStream stream its events are relayed to, if it produces any (e.g. "REGISTRY")
    stream: str | None = None
    # the module defining its event contracts (all of this service: the catalog checks),
    # imported before AsyncAPI lists them
    contracts: str | None = None
    # the projections its consumer runners feed, built once the platform is up
    projections: Callable[[Platform], Sequence[Projection]] | None = None
    # typer commands (functions) or typer apps (with a name) added to `socorg`
    commands: Sequence[Callable[..., Any]] = ()

    @property
    def port(self) -> int:
        """The default port, as its settings class declares it."""
        return int(self.settings.model_fields["port"].default)

    @property
    def env_prefix(self) -> str:
        return f"SOCORG_{self.name.upper()}_"

    def create_app(self, settings: ServiceSettings | None = None) -> FastAPI:
        module, _, attr = self.app.partition(":")
        factory = getattr(importlib.import_module(module), attr)
        app: FastAPI = factory(settings) if settings is not None else factory()
        return app

    def load_contracts(self) -> None:
        if self.contracts is not None:
            importlib.import_module(self.contracts)
