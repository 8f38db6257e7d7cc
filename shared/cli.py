"""The `socorg` command: run the platform, serve one service, migrate, manage API keys.

Services are those of shared.catalog; each spec's own commands (the registry's `demo`) are
added at the top level.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from shared import catalog, migrate
from shared.settings import ServiceSettings
from shared.spec import ServiceSpec

app = typer.Typer(no_args_is_help=True, help="socorg — the register of social organizations.")
keys = typer.Typer(no_args_is_help=True, help="API keys of one service (stored hashed).")
app.add_typer(keys, name="keys")
console = Console()


def _add_service_commands() -> None:
    for spec in catalog.specs():
        for command in spec.commands:
            if isinstance(command, typer.Typer):
                app.add_typer(command)
            else:
                app.command()(command)


_add_service_commands()

ServiceArg = Annotated[str, typer.Argument(help=f"one of {', '.join(catalog.names())}")]


def _spec(name: str) -> ServiceSpec:
    try:
        return catalog.get(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _producer(name: str) -> str:
    if _spec(name).stream is None:
        raise typer.BadParameter(f"{name} publishes no events")
    return name


def _settings(service: str) -> ServiceSettings:
    """The service's settings, or one clear line per invalid setting and exit code 2."""
    try:
        return _spec(service).settings()
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            typer.echo(f"socorg {service}: {where + ': ' if where else ''}{message}", err=True)
        raise typer.Exit(2) from None


@app.command()
def run() -> None:
    """Start the whole platform on the embedded default (SQLite + nats-server)."""
    from shared.launcher import main

    raise typer.Exit(main())


@app.command()
def serve(service: ServiceArg) -> None:
    """Serve one service with uvicorn, configured by its SOCORG_<SERVICE>_ variables."""
    import uvicorn

    from shared import logs
    from shared.http.app import settle_heap_after_startup

    settings = _settings(service)
    logs.configure(service, settings.log_level, secrets=settings.secret_values())
    settle_heap_after_startup()
    uvicorn.run(
        _spec(service).app,
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
    )


@app.command()
def relay(service: ServiceArg) -> None:
    """Run only the relay of a producing service (events table → JetStream)."""
    import uvloop

    from shared.outbox.relay import run_standalone

    settings = _settings(service)
    # The loop `serve` runs on too (uvicorn's choice where uvloop is installed): the relay's
    # reads, publishes and acks cost less of the core the service shares with it.
    uvloop.run(run_standalone(_producer(service), settings))


@app.command("relay-status")
def relay_status(service: ServiceArg) -> None:
    """Where the relay is, and any event NATS refused that it holds at (exit 1 while it does)."""
    from shared.outbox.status import status

    _producer(service)
    report = asyncio.run(status(service, _settings(service).database_url.get_secret_value()))
    console.print(report.text(), highlight=False, soft_wrap=True)
    if report.held:
        raise typer.Exit(1)


@app.command("relay-skip")
def relay_skip(
    service: ServiceArg,
    position: Annotated[int, typer.Argument(help="the held event's position (relay-status)")],
    reason: Annotated[str, typer.Option(help="why it is skipped; recorded with it")],
    by: Annotated[str, typer.Option(help="who decided, e.g. a name or ticket")],
) -> None:
    """Let the relay go on without a held event: JetStream never gets it (see
    docs/operations.md first); it stays in the store and the HTTP feed."""
    from shared.outbox.status import skip

    _producer(service)
    if not reason.strip() or not by.strip():
        raise typer.BadParameter("--reason and --by must not be empty")
    done = asyncio.run(
        skip(service, _settings(service).database_url.get_secret_value(), position, by, reason)
    )
    if done is None:
        console.print(f"no held event at position {position} of {service}")
        raise typer.Exit(1)
    console.print(f"skipped {done.describe()}", highlight=False, soft_wrap=True)
    console.print("the relay goes on without it at its next try", highlight=False)


@app.command("migrate")
def migrate_cmd(
    services: Annotated[list[str] | None, typer.Argument(help="default: every service")] = None,
) -> None:
    """Apply every Alembic migration to the services' databases."""
    for service in services or list(catalog.names()):
        settings = _settings(service)
        migrate.upgrade(service, settings.database_url.get_secret_value())
        console.print(f"{service}: migrated")


def _key_store(service: str):  # type: ignore[no-untyped-def]
    from shared.db import make_async_engine
    from shared.http.keys import KeyStore

    settings = _settings(service)
    return KeyStore(make_async_engine(settings.database_url.get_secret_value()))


@keys.command("create")
def keys_create(
    service: ServiceArg,
    name: Annotated[str, typer.Option(help="who holds the key, e.g. 武昌区民政局")],
    scope: Annotated[list[str], typer.Option(help="repeat: registry:read, registry:write, …")],
    place: Annotated[str | None, typer.Option(help="GB/T 2260 code it may write")] = None,
) -> None:
    """Create a key; it is printed once and stored only as a hash."""

    async def go() -> None:
        store = _key_store(service)
        try:
            rec, raw = await store.create(name=name, scopes=scope, place=place)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        finally:
            await store.engine.dispose()
        console.print(
            f"id:     {rec.id}\nscopes: {', '.join(rec.scopes)}\nplace:  {place or 'any'}"
        )
        console.print(f"key:    [bold]{raw}[/bold]   (shown once; store it now)")

    asyncio.run(go())


@keys.command("list")
def keys_list(service: ServiceArg) -> None:
    """List keys (never their secrets)."""

    async def go() -> None:
        store = _key_store(service)
        try:
            records = await store.list()
        finally:
            await store.engine.dispose()
        table = Table("id", "name", "prefix", "scopes", "place", "created", "revoked")
        for r in records:
            table.add_row(
                str(r.id),
                r.name,
                r.prefix,
                " ".join(r.scopes),
                r.place or "any",
                r.created_at.isoformat(timespec="seconds"),
                r.revoked_at.isoformat(timespec="seconds") if r.revoked_at else "",
            )
        console.print(table)

    asyncio.run(go())


@keys.command("revoke")
def keys_revoke(service: ServiceArg, key_id: uuid.UUID) -> None:
    """Revoke a key; requests with it are refused from then on."""

    async def go() -> bool:
        store = _key_store(service)
        try:
            revoked: bool = await store.revoke(key_id)
            return revoked
        finally:
            await store.engine.dispose()

    if not asyncio.run(go()):
        console.print(f"no active key {key_id}")
        raise typer.Exit(1)
    console.print(f"revoked {key_id}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
