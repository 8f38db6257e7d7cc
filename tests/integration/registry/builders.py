"""Request bodies for the registry API tests, with valid GB 32100 codes and real places."""

from __future__ import annotations

from typing import Any

import httpx

from services.registry.domain.credit_code import make_credit_code

WUCHANG_STREET = "420106001"  # 积玉桥街道, 武昌区
WUCHANG_COMMUNITY = "420106001001"  # 尚隆苑社区居委会 (urban)
HUANGPI_VILLAGE = "420116001205"  # 五里村委会, 黄陂区 (rural)
JIANGAN = "420102"  # 江岸区


def code(kind_digit: str = "1", n: int = 0, authority: str = "420106") -> str:
    return make_credit_code(kind_digit, authority, f"MJH{n:05d}")


def organization(n: int = 0, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "credit_code": code("1", n),
        "name": f"武昌区软件行业协会{n}",
        "kind": "social_group",
        "category": "产业发展类",
        "level": "county",
        "domicile": WUCHANG_STREET,
        "registered_on": "2020-05-01",
    }
    return {**body, **overrides}


def community_org(n: int = 0, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "filing_number": f"武昌积玉桥备2024-{n:03d}",
        "name": f"尚隆苑社区邻里互助队{n}",
        "category": "生活服务类",
        "community": WUCHANG_COMMUNITY,
        "filed_on": "2024-04-01",
    }
    return {**body, **overrides}


async def registered(api: httpx.AsyncClient, n: int = 0, **overrides: Any) -> dict[str, Any]:
    r = await api.post("/v1/organizations", json=organization(n, **overrides))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def filed(api: httpx.AsyncClient, n: int = 0, **overrides: Any) -> dict[str, Any]:
    r = await api.post("/v1/community-organizations", json=community_org(n, **overrides))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def is_problem(r: httpx.Response, status: int, slug: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["detail"]
    if slug is not None:
        assert body["type"] == f"urn:socorg:problem:{slug}", body
    return body
