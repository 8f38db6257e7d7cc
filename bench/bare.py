"""The bare reference for registration: FastAPI + pydantic + uvicorn and nothing else.

`python -m bench.bare PORT` serves one trivial POST /v1/organizations that parses a body of
the registry's registration shape with pydantic (plain types, no domain rules, no database)
and answers 201 with it and an id. uvicorn runs with the options `socorg serve` gives the
registry (shared/cli.py): one process, no access log, no log config.
"""

from __future__ import annotations

import sys
import uuid
from datetime import date

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel


class Registration(BaseModel):
    credit_code: str
    name: str
    kind: str
    level: str
    domicile: str
    registered_on: date | None = None
    category: str | None = None
    registration_authority: str | None = None
    legal_representative: str | None = None
    supervisory_unit: str | None = None
    registered_capital_yuan: int | None = None
    business_scope: str | None = None


class Registered(Registration):
    id: str
    status: str
    version: int


app = FastAPI()


@app.post("/v1/organizations", status_code=201)
async def register(body: Registration) -> Registered:
    return Registered(**body.model_dump(), id=uuid.uuid4().hex, status="active", version=1)


@app.get("/readyz")
async def readyz() -> dict[str, bool]:
    return {"ready": True}


def main() -> None:
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
