"""The public 公示 board: an authority's decisions in their publicity window, as JSON and as
an Atom feed. Public by nature, like the board outside a bureau: no key is asked for."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from services.evaluation.api import atom
from services.evaluation.api.deps import EvaluationDep
from services.evaluation.api.errors import problem
from services.evaluation.api.publicity_schemas import NoticeRead, PublicityPage
from shared.http.dates import IsoDate

router = APIRouter(prefix="/v1/publicity", tags=["publicity"])
Authority = Annotated[
    str, Path(pattern=r"^[0-9]{6}$", description="the registration authority's place code")
]
On = Annotated[
    IsoDate | None, Query(description="the day whose 公示 is shown; default today (Asia/Shanghai)")
]
ERRORS: dict[int | str, dict[str, Any]] = {
    422: problem("`authority` is not a 6-digit place code, `on` not a date or after today")
}
EXAMPLE = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    "<id>urn:socorg:evaluation:publicity:330200</id>"
    "<title>社会组织等级评估结果公示 (330200)</title>"
    "<updated>2026-08-11T00:00:00+08:00</updated>"
    '<link rel="self" href="https://evaluation.example.gov.cn/v1/publicity/330200/atom" '
    'type="application/atom+xml" /><author><name>登记管理机关 330200</name></author><entry>'
    "<id>urn:socorg:evaluation:application:5b1e6c3d2a7f48e9a0b1c2d3e4f5a6b7</id>"
    "<title>宁波市软件行业协会: 4A</title><updated>2026-08-11T00:00:00+08:00</updated>"
    '<link rel="related" href="https://registry.example.gov.cn/v1/organizations/'
    'by-credit-code/51330200MJ9005328E" /><summary>统一社会信用代码 51330200MJ9005328E; '
    "评估得分 940; 拟定等级 4A; 评估等级 4A; 公示期 2026-08-11 至 2026-08-25</summary>"
    "</entry></feed>"
)


async def _items(evaluation: EvaluationDep, authority: str, on: date | None) -> PublicityPage:
    day, found = await evaluation.publicity.notices(authority, on)
    link = evaluation.publicity.registry_url
    return PublicityPage(authority=authority, on=day, items=[NoticeRead.of(n, link) for n in found])


@router.get("/{authority}", responses=ERRORS)
async def list_publicity(
    authority: Authority, evaluation: EvaluationDep, on: On = None
) -> PublicityPage:
    """The decisions in 公示 at an authority on a day (public: no key)."""
    return await _items(evaluation, authority, on)


@router.get(
    "/{authority}/atom",
    response_class=Response,
    responses={
        200: {
            "description": "the decisions in 公示 as an Atom feed",
            "content": {atom.MEDIA_TYPE: {"schema": {"type": "string"}, "example": EXAMPLE}},
        },
        **ERRORS,
    },
)
async def publicity_feed(
    authority: Authority, request: Request, evaluation: EvaluationDep, on: On = None
) -> Response:
    """The decisions in 公示 at an authority as an Atom feed (public: no key)."""
    page = await _items(evaluation, authority, on)
    body = atom.feed(authority, page.on, str(request.url), page.items)
    return Response(body, media_type=atom.MEDIA_TYPE)
