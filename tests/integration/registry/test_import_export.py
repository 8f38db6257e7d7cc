"""Bulk import (NDJSON and CSV, per-row errors, safe re-runs, place keys) and snapshot export."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from services.registry.adapters.tables import organizations
from services.registry.app.imports.csv_columns import flatten
from services.registry.app.imports.plan import organization_id
from services.registry.app.imports.rows import parse_row
from services.registry.app.streams import stream_of
from shared.db import make_async_engine
from shared.eventstore import EventMetadata, NewEvent
from shared.eventstore.sql import SqlEventStore
from shared.tables import events
from tests.integration.registry.builders import HUANGPI_VILLAGE, WUCHANG_COMMUNITY, code, is_problem

NDJSON = {"Content-Type": "application/x-ndjson"}
META = EventMetadata(client="test")


def group(n: int, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kind": "social_group",
        "credit_code": code("1", n),
        "name": f"武昌区青少年体育协会{n}",
        "level": "county",
        "domicile": "420106001",
        "registered_on": "2018-03-01",
        "category": "社会服务类",
        "annual_reports": [
            {"year": 2022, "submitted_on": "2023-04-20", "staff_employed": 5},
            {
                "year": 2023,
                "submitted_on": "2024-04-20",
                "conclusion": "合格",
                "concluded_on": "2024-06-30",
            },
        ],
        "rating": {"grade": "4A", "decided_on": "2023-12-01", "valid_until": "2028-11-30"},
    }
    return {**row, **overrides}


def community(n: int, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kind": "community_org",
        "filing_number": f"武昌积玉桥备2021-{n:04d}",
        "name": f"尚隆苑社区文体队{n}",
        "community": WUCHANG_COMMUNITY,
        "filed_on": "2021-05-01",
        "category": "文体活动类",
    }
    return {**row, **overrides}


def ndjson(*rows: dict[str, Any] | str) -> bytes:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def as_csv(*rows: dict[str, Any]) -> bytes:
    flat = [flatten(r) for r in rows]
    columns = sorted({c for f in flat for c in f})
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return out.getvalue().encode()


async def chunked(body: bytes, size: int = 700) -> Any:
    """The body in small pieces, so lines and UTF-8 characters are split across chunks."""
    for i in range(0, len(body), size):
        yield body[i : i + size]


async def imported(
    http: httpx.AsyncClient, body: bytes, headers: dict[str, str] = NDJSON, **params: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The summary and the error lines of an import (checks the report's shape too)."""
    async with http.stream(
        "POST", "/v1/imports", content=chunked(body), headers=headers, params=params
    ) as r:
        assert r.status_code == 200, await r.aread()
        lines = [json.loads(line) async for line in r.aiter_lines() if line]
    assert lines[0]["type"] == "started" and lines[-1]["type"] == "summary"
    summary = lines[-1]
    assert summary["rows"] == sum(summary[k] for k in ("created", "updated", "unchanged", "failed"))
    errors = [x for x in lines if x["type"] == "error"]
    assert len(errors) == summary["failed"]
    return summary, errors


def head(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        position = conn.execute(select(func.coalesce(func.max(events.c.position), 0))).scalar_one()
        metas = [m for (m,) in conn.execute(select(events.c.metadata))]
    engine.dispose()
    assert all("import_id" in m and m["client"] for m in metas)
    return int(position)


async def test_ndjson_import_creates_organizations_events_and_read_model(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    ended = group(2, end={"how": "注销", "on": "2024-09-01", "reason": "自行申请注销"})
    summary, errors = await imported(api, ndjson(group(1), community(1), ended))
    assert (summary["created"], errors) == (3, [])
    org = (await api.get(f"/v1/organizations/by-credit-code/{code('1', 1)}")).json()
    assert org["grade"] == "4A" and org["version"] == 5
    assert [(a["year"], a["conclusion"]) for a in org["annual_reports"]] == [
        (2022, None),
        (2023, "qualified"),
    ]
    gone = (await api.get(f"/v1/organizations/by-credit-code/{code('1', 2)}")).json()
    assert gone["status"] == "deregistered"
    found = (await api.get("/v1/organizations", params={"grade": "4A"})).json()
    assert found["total"] == 1  # the grade ended with the deregistered one
    assert head(registry_url) == summary["position"] == 5 + 1 + 6


async def test_csv_import_reads_the_flat_form(api: httpx.AsyncClient) -> None:
    rows = [group(1), community(1, urban=True), community(2, community=HUANGPI_VILLAGE)]
    summary, errors = await imported(api, as_csv(*rows), {"Content-Type": "text/csv"})
    assert (summary["created"], errors) == (3, [])
    village = (await api.get("/v1/organizations", params={"urban": "false"})).json()
    assert [i["name"] for i in village["items"]] == ["尚隆苑社区文体队2"]
    org = (await api.get(f"/v1/organizations/by-credit-code/{code('1', 1)}")).json()
    assert org["rating"]["grade"] == "4A" and len(org["annual_reports"]) == 2


async def test_bad_rows_are_reported_by_row_number_while_good_rows_land(
    api: httpx.AsyncClient,
) -> None:
    bad_code = group(2, credit_code=code("1", 2)[:-1] + "0")
    body = ndjson(
        group(1),
        bad_code,
        group(3, domicile="420199001"),
        '{"kind": "social_group", "credit_code": ',
        group(4, registered_on=20180301, annual_reports=[{"year": "last"}]),
        "",
        community(1, filed_on="2030-01-01"),
        community(2),
    )
    summary, errors = await imported(api, body, batch_size=10)
    assert (summary["rows"], summary["created"], summary["failed"]) == (7, 2, 5)
    by_row = {e["row"]: (e["problem"], e["identifier"]) for e in errors}
    assert by_row == {
        2: ("invalid-credit-code", bad_code["credit_code"]),
        3: ("unknown-place", code("1", 3)),
        4: ("malformed-json", None),
        5: ("validation", code("1", 4)),
        7: ("date-in-future", "武昌积玉桥备2021-0001"),
    }
    detail = next(e["detail"] for e in errors if e["row"] == 5)
    assert "registered_on" in detail and "annual_reports.0.year" in detail


async def test_rerun_is_unchanged_and_appends_nothing(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    body = ndjson(*(group(n) for n in range(30)), *(community(n) for n in range(30)))
    first, _ = await imported(api, body, batch_size=25)
    position = head(registry_url)
    again, errors = await imported(api, body, batch_size=25)
    assert first["created"] == 60 and (again["unchanged"], again["created"], errors) == (60, 0, [])
    assert "position" not in again and head(registry_url) == position
    # a later file with one more year on file adds that year, and only that
    grown = group(0)
    grown["annual_reports"].append({"year": 2024, "submitted_on": "2025-03-01"})
    changed = group(1, name="改了名字的协会")
    summary, errors = await imported(api, ndjson(grown, changed))
    assert (summary["updated"], summary["unchanged"]) == (1, 0)
    assert [e["problem"] for e in errors] == ["differs-from-register"]
    assert head(registry_url) == position + 1


async def test_later_batches_see_earlier_ones_and_progress_counts_settled_rows(
    api: httpx.AsyncClient,
) -> None:
    """Batches are planned while the one before commits; each still sees every earlier one."""
    rows = [group(n) for n in range(25)]
    rows += [group(3), group(4, name="另一个名字的协会"), group(25)]  # batch 3 repeats batch 1
    async with api.stream(
        "POST",
        "/v1/imports",
        content=chunked(ndjson(*rows)),
        headers=NDJSON,
        params={"batch_size": 10},
    ) as r:
        lines = [json.loads(line) async for line in r.aiter_lines() if line]
    progress = [x for x in lines if x["type"] == "progress"]
    assert [p["rows"] for p in progress] == [10, 20, 28]
    for p in progress:  # a progress line never counts a row still in flight
        assert p["rows"] == sum(p.get(k, 0) for k in ("created", "updated", "unchanged", "failed"))
    summary = lines[-1]
    assert (summary["created"], summary["unchanged"], summary["failed"]) == (26, 1, 1)
    [error] = [x for x in lines if x["type"] == "error"]
    assert (error["row"], error["problem"]) == (27, "differs-from-register")


async def test_a_stream_the_identifiers_do_not_lead_to_is_still_never_overwritten(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    """A batch reads the streams its identifiers lead to; a stream under a row's id that they
    miss fails the batch's append, and the rows are retried one by one, reading every stream."""
    row = group(7)
    oid = organization_id(parse_row(row))
    engine = make_async_engine(registry_url)
    try:
        await SqlEventStore(engine).append(
            stream_of(oid), 0, [NewEvent("registration_changed", {"x": 1})], metadata=META
        )
    finally:
        await engine.dispose()
    summary, errors = await imported(api, ndjson(group(6), row, group(8)), batch_size=10)
    assert (summary["created"], summary["failed"]) == (2, 1)
    assert [(e["row"], e["problem"]) for e in errors] == [(2, "differs-from-register")]


async def test_an_import_cut_off_mid_file_leaves_whole_batches_and_reruns_cleanly(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    """The client goes away mid-file: the batches committed (and the one committing) stay,
    whole; the rows after them are not written; posting the file again completes it."""
    rows = [group(n) for n in range(45)]
    body = ndjson(*rows)
    cut = body.index(json.dumps(rows[33], ensure_ascii=False).encode())

    class Gone(Exception):
        pass

    async def cut_off() -> Any:
        yield body[:cut]
        await asyncio.sleep(0.5)  # the server plans and commits what it has
        raise Gone

    with pytest.raises(Gone):
        async with api.stream(
            "POST", "/v1/imports", content=cut_off(), headers=NDJSON, params={"batch_size": 10}
        ) as r:
            await r.aread()
    await asyncio.sleep(0.5)
    engine = create_engine(registry_url)
    with engine.connect() as conn:
        landed = conn.execute(select(func.count()).select_from(organizations)).scalar_one()
        streams = conn.execute(select(func.count(func.distinct(events.c.stream_id)))).scalar_one()
    engine.dispose()
    assert landed == streams == 30, "the three whole batches, nothing after"
    summary, errors = await imported(api, body, batch_size=10)
    assert errors == [] and (summary["unchanged"], summary["created"]) == (landed, 45 - landed)


async def test_place_key_and_override_scope_hold_per_row(client_with: Any) -> None:
    wuchang = await client_with("registry:write", "registry:read", place="420106")
    legacy = group(2, credit_code=code("3", 2), code_override={"allowed_by": "张", "reason": "旧"})
    body = ndjson(group(1), group(3, domicile="420102"), legacy, community(1))
    summary, errors = await imported(wuchang, body)
    assert summary["created"] == 2
    problems = {e["row"]: e["problem"] for e in errors}
    assert problems == {2: "outside-client-area", 3: "missing-scope"}
    reader = await client_with("registry:read")
    r = await reader.post("/v1/imports", content=body, headers=NDJSON)
    assert r.status_code == 403
    r = await wuchang.post("/v1/imports", content=body, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.headers["content-type"].startswith("application/problem")


async def test_export_returns_every_organization_at_the_head_position(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    body = ndjson(*(group(n) for n in range(12)), *(community(n) for n in range(9)))
    await imported(api, body, batch_size=10)
    position = head(registry_url)
    r = await api.get("/v1/exports/organizations")
    assert r.status_code == 200 and r.headers["x-export-position"] == str(position)
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert lines[0] == {"type": "export", "position": position}
    assert len(lines) == 1 + 21 and {x["kind"] for x in lines[1:]} == {
        "social_group",
        "community_org",
    }
    csv_only = {"Accept": "text/csv"}
    params = {"kind": "community_org"}
    r = await api.get("/v1/exports/organizations", params=params, headers=csv_only)
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 9 and {row["urban"] for row in rows} == {"true"}
    assert r.headers["x-export-position"] == str(position)


async def test_a_line_nested_too_deep_is_a_row_error_and_the_rows_after_it_land(
    api: httpx.AsyncClient,
) -> None:
    body = ndjson(group(1), "[" * 200_000, '{"a": ' * 100_000, group(2))
    summary, errors = await imported(api, body, batch_size=10)
    assert (summary["rows"], summary["created"], summary["failed"]) == (4, 2, 2)
    assert [(e["row"], e["problem"]) for e in errors] == [
        (2, "malformed-json"),
        (3, "malformed-json"),
    ]
    assert (await api.get(f"/v1/organizations/by-credit-code/{code('1', 2)}")).status_code == 200


async def test_a_json_row_naming_a_key_twice_is_a_row_error_naming_the_key(
    api: httpx.AsyncClient,
) -> None:
    twice = json.dumps(group(1), ensure_ascii=False)[:-1] + ', "name": "另一个名字"}'
    nested = json.dumps(group(2), ensure_ascii=False).replace(
        '"grade": "4A"', '"grade": "4A", "grade": "5A"'
    )
    summary, errors = await imported(api, ndjson(twice, nested, group(3)))
    assert (summary["created"], summary["failed"]) == (1, 2)
    assert [(e["row"], e["problem"]) for e in errors] == [
        (1, "malformed-json"),
        (2, "malformed-json"),
    ]
    assert "'name'" in errors[0]["detail"] and "'grade'" in errors[1]["detail"]


async def test_a_bare_cr_ends_a_csv_record_as_lf_and_crlf_do(api: httpx.AsyncClient) -> None:
    rows = [group(1), group(2), group(3, domicile="420199001"), group(4)]
    header, *records = as_csv(*rows).decode().splitlines()
    # LF after the header, then CR, CRLF and CR between the records; a quoted cell keeps its CR
    records[1] = records[1].replace("武昌区青少年体育协会2", '"武昌区青少年\r体育协会2"')
    body = (header + "\n" + "\r".join(records[:2]) + "\r\n" + "\r".join(records[2:])).encode()
    summary, errors = await imported(api, body, {"Content-Type": "text/csv"})
    assert (summary["rows"], summary["created"]) == (4, 3)
    # the row numbers count each line end, CR included (row 3 spans lines 3 and 4)
    assert [(e["row"], e["problem"]) for e in errors] == [(5, "unknown-place")]
    two = (await api.get(f"/v1/organizations/by-credit-code/{code('1', 2)}")).json()
    assert two["name"] == "武昌区青少年\n体育协会2"


async def test_a_csv_header_naming_a_column_twice_is_refused(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    body = as_csv(group(1)).decode()
    header, rest = body.split("\n", 1)
    body = f"{header},name\n" + rest.replace("\n", ",另一个名字\n")
    r = await api.post("/v1/imports", content=body.encode(), headers={"Content-Type": "text/csv"})
    problem = is_problem(r, 400, "bad-csv-header")
    assert "'name'" in problem["detail"]
    assert head(registry_url) == 0


async def test_an_import_body_in_utf16_is_refused_as_not_utf8(
    api: httpx.AsyncClient, registry_url: str
) -> None:
    for encoding in ("utf-16", "utf-16-le", "utf-32"):
        for media, body in (
            (NDJSON, ndjson(group(1))),
            ({"Content-Type": "text/csv"}, as_csv(group(1))),
        ):
            encoded = body.decode().encode(encoding)
            r = await api.post("/v1/imports", content=chunked(encoded), headers=media)
            problem = is_problem(r, 415, "not-utf-8")
            assert "UTF-8" in problem["detail"]
    assert head(registry_url) == 0


async def test_an_imported_community_organization_ends_by_a_filing_cancellation(
    api: httpx.AsyncClient,
) -> None:
    ended = community(3, end={"how": "注销", "on": "2024-09-01", "reason": "自行解散"})
    summary, errors = await imported(api, ndjson(ended))
    assert (summary["created"], errors) == (1, [])
    org = (await api.get("/v1/organizations/by-filing-number/武昌积玉桥备2021-0003")).json()
    assert (org["status"], org["filing_cancelled"]) == ("deregistered", "deregistration")
    history = (await api.get(f"/v1/organizations/{org['id']}/history")).json()["items"]
    assert history[-1]["type"] == "filing_cancelled"
