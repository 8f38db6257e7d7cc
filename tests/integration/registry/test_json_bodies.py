"""JSON request bodies are read strictly: UTF-8 only, and no key given twice in one object."""

from __future__ import annotations

import json

import httpx

from tests.integration.registry.builders import code, community_org, is_problem, organization

JSON = {"Content-Type": "application/json"}


async def test_a_json_body_in_utf16_or_utf32_is_refused(api: httpx.AsyncClient) -> None:
    text = json.dumps(organization(1), ensure_ascii=False)
    for encoding in ("utf-16", "utf-16-be", "utf-32"):
        r = await api.post("/v1/organizations", content=text.encode(encoding), headers=JSON)
        assert "UTF-8" in is_problem(r, 415, "not-utf-8")["detail"]
    assert (await api.get(f"/v1/organizations/by-credit-code/{code('1', 1)}")).status_code == 404
    r = await api.post("/v1/organizations", content=text.encode(), headers=JSON)
    assert r.status_code == 201, r.text


async def test_a_json_body_naming_a_key_twice_is_refused_naming_the_key(
    api: httpx.AsyncClient,
) -> None:
    text = json.dumps(community_org(1), ensure_ascii=False)[:-1] + ', "name": "另一个名字"}'
    r = await api.post("/v1/community-organizations", content=text.encode(), headers=JSON)
    assert "'name'" in is_problem(r, 400, "duplicate-key")["detail"]


async def test_a_json_body_too_deep_to_parse_is_a_400_problem(api: httpx.AsyncClient) -> None:
    r = await api.post("/v1/organizations", content=b"[" * 200_000, headers=JSON)
    is_problem(r, 400)
