"""A key's place restricts writes to its area exactly: a city code ending in 0 keeps its 0."""

from __future__ import annotations

import pytest

from shared.http.keys import KeyStore
from tests.integration.registry.builders import is_problem, organization

YUCHENG_STREET = "511802001"  # 东城街道, 雨城区, 雅安市


async def test_a_city_key_whose_code_ends_in_zero_writes_only_its_city(client_with) -> None:  # type: ignore[no-untyped-def]
    neijiang = await client_with("registry:read", "registry:write", place="511000")
    r = await neijiang.post("/v1/organizations", json=organization(domicile=YUCHENG_STREET))
    assert is_problem(r, 403, "outside-client-area")["place"] == YUCHENG_STREET
    jingzhou = await client_with("registry:read", "registry:write", place="421000")
    is_problem(await jingzhou.post("/v1/organizations", json=organization(1)), 403)
    yaan = await client_with("registry:read", "registry:write", place="511800")
    r = await yaan.post("/v1/organizations", json=organization(2, domicile=YUCHENG_STREET))
    assert r.status_code == 201, r.text


async def test_a_province_key_writes_only_its_province(client_with) -> None:  # type: ignore[no-untyped-def]
    chongqing = await client_with("registry:read", "registry:write", place="500000")
    r = await chongqing.post("/v1/organizations", json=organization(domicile=YUCHENG_STREET))
    is_problem(r, 403, "outside-client-area")
    sichuan = await client_with("registry:read", "registry:write", place="510000")
    r = await sichuan.post("/v1/organizations", json=organization(1, domicile=YUCHENG_STREET))
    assert r.status_code == 201, r.text


async def test_a_county_key_whose_code_ends_in_zero_writes_only_its_county(client_with) -> None:  # type: ignore[no-untyped-def]
    # 420110 is no county of Wuhan; a key for it must not take in 420106 or any 4201xx.
    other = await client_with("registry:read", "registry:write", place="420110")
    is_problem(await other.post("/v1/organizations", json=organization()), 403)
    wuhan = await client_with("registry:read", "registry:write", place="420100")
    assert (await wuhan.post("/v1/organizations", json=organization(1))).status_code == 201


async def test_a_key_place_must_be_ascii_digits(registry_url: str) -> None:
    from shared.db import make_async_engine

    engine = make_async_engine(registry_url)
    try:
        with pytest.raises(ValueError, match="6, 9 or 12-digit"):
            await KeyStore(engine).create(name="x", scopes=["registry:write"], place="²²²²²²")
    finally:
        await engine.dispose()
