"""The 公示 board as an Atom feed (RFC 4287), built with the standard library's ElementTree."""

from __future__ import annotations

from datetime import date, datetime, time
from xml.etree import ElementTree as ET

from services.evaluation.api.publicity_schemas import NoticeRead
from shared.clock import SHANGHAI

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"


def _stamp(day: date) -> str:
    return datetime.combine(day, time(), SHANGHAI).isoformat()


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def feed(authority: str, on: date, self_url: str, items: list[NoticeRead]) -> bytes:
    """The decisions in 公示 on `on` at `authority`, one entry each, newest publication first."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _add(root, "id", f"urn:socorg:evaluation:publicity:{authority}")
    _add(root, "title", f"社会组织等级评估结果公示 ({authority})")
    _add(root, "updated", _stamp(max((n.published_on for n in items), default=on)))
    _add(root, "link", rel="self", href=self_url, type=MEDIA_TYPE)
    author = _add(root, "author")
    _add(author, "name", f"登记管理机关 {authority}")
    for n in sorted(items, key=lambda n: (n.published_on, n.application_id), reverse=True):
        entry = _add(root, "entry")
        _add(entry, "id", f"urn:socorg:evaluation:application:{n.application_id}")
        _add(entry, "title", f"{n.name}: {n.decided_grade}")
        _add(entry, "updated", _stamp(n.published_on))
        if n.registry_url is not None:
            _add(entry, "link", rel="related", href=n.registry_url)
        _add(entry, "summary", _summary(n))
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def _summary(n: NoticeRead) -> str:
    score = "—" if n.score is None else f"{n.score:g}"
    return (
        f"统一社会信用代码 {n.credit_code or '—'}; 评估得分 {score}; "
        f"拟定等级 {n.proposed_grade or '—'}; 评估等级 {n.decided_grade}; "
        f"公示期 {n.published_on} 至 {n.ends_on}"
    )
