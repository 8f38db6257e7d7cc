"""Categories: the taxonomy (分类) the register checks organizations against and targets count."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.registry.api.common import QUERY_ERRORS
from services.registry.api.deps import Reader
from services.registry.domain.categories import shipped_categories

router = APIRouter(prefix="/v1/categories", tags=["categories"])


class CategoryRead(BaseModel):
    code: str = Field(description="stable code", examples=["tech_innovation"])
    name: str = Field(
        description="as the plans write it, and as it is stored", examples=["科技创新类"]
    )
    kinds: list[str] = Field(description="the kinds of organization it applies to")
    source: str = Field(description="where the taxonomy takes it from")


@router.get("", responses=QUERY_ERRORS)
async def list_categories(_: Reader) -> list[CategoryRead]:
    """Every known category, with the kinds it applies to."""
    return [
        CategoryRead(code=c.code, name=c.name, kinds=sorted(c.kinds), source=c.source)
        for c in shipped_categories()
    ]
