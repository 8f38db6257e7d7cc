"""`socorg demo <profile>`: generate a demo register and load it through POST /v1/imports.

The rows go through the import path like any register's file (same rules, same events), or
to a file with --out (benchmarks, inspection). Generation and upload both stream: the
`national` profile's million rows are never held in memory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from services.registry.adapters.places_file import load_places
from services.registry.demo.generate import generate
from services.registry.demo.profiles import PROFILES, Profile
from shared.settings import DEV_API_KEY

console = Console(stderr=True)
CHUNK_ROWS = 200  # rows per upload chunk


def ndjson(profile: Profile, *, seed: int) -> Iterator[bytes]:
    """The profile's rows as NDJSON, in chunks of CHUNK_ROWS lines."""
    lines: list[bytes] = []
    for row in generate(profile, load_places(), seed=seed):
        lines.append(json.dumps(row, ensure_ascii=False).encode() + b"\n")
        if len(lines) == CHUNK_ROWS:
            yield b"".join(lines)
            lines = []
    yield b"".join(lines)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def _counted(chunks: Iterator[bytes], progress: Progress, task: Any) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk
        progress.advance(task, chunk.count(b"\n"))


def demo(
    profile: Annotated[str, typer.Argument(help=f"one of {', '.join(PROFILES)}")],
    seed: Annotated[int, typer.Option(help="same seed, same register")] = 1,
    scale: Annotated[float, typer.Option(min=0.0001, max=10.0, help="multiply every count")] = 1.0,
    url: Annotated[str, typer.Option(help="the registry's base URL")] = "http://127.0.0.1:8001",
    key: Annotated[
        str | None, typer.Option(help="API key with registry:write (default: the dev key)")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="write the NDJSON here instead")] = None,
    batch_size: Annotated[int, typer.Option(min=10, max=5000)] = 500,
) -> None:
    """Generate a demo register (ningbo, wuhan, national) and import it, or write it out."""
    if profile not in PROFILES:
        raise typer.BadParameter(f"unknown profile {profile!r}: one of {', '.join(PROFILES)}")
    shape = PROFILES[profile].scaled(scale) if scale != 1.0 else PROFILES[profile]
    with _progress() as progress:
        task = progress.add_task(f"{profile} (seed {seed})", total=shape.total)
        rows = _counted(ndjson(shape, seed=seed), progress, task)
        if out is not None:
            with out.open("wb") as f:
                f.writelines(rows)
            summary = {"rows": shape.total, "written": str(out)}
        else:
            api_key = key or os.environ.get("SOCORG_API_KEY") or DEV_API_KEY
            summary = _post(rows, url, api_key, batch_size)
    console.print_json(data=summary)
    if summary.get("failed"):
        raise typer.Exit(1)


def _post(rows: Iterator[bytes], url: str, key: str, batch_size: int) -> dict[str, Any]:
    """Upload as the rows are generated; the report is read once the upload is done."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/x-ndjson"}
    summary: dict[str, Any] = {}
    errors = 0
    with (
        httpx.Client(base_url=url, timeout=httpx.Timeout(30.0, read=None)) as http,
        http.stream(
            "POST", "/v1/imports", content=rows, headers=headers, params={"batch_size": batch_size}
        ) as r,
    ):
        if r.status_code != 200:
            console.print(f"[red]{r.status_code}[/red] {r.read().decode()[:500]}")
            raise typer.Exit(1)
        for line in r.iter_lines():
            if not line:
                continue
            item = json.loads(line)
            if item["type"] == "error" and errors < 10:
                errors += 1
                console.print(f"row {item['row']}: {item['problem']}: {item['detail']}")
            elif item["type"] == "summary":
                summary = item
    return summary
