"""The bars of eligibility to apply for a rating (DOMAIN.md, Rating), each with its regimes and
the clause it encodes; docs/evaluation.md shows the same table."""

from __future__ import annotations

from services.evaluation.domain import conduct, standing
from services.evaluation.domain.rule import BOTH, ORDER_39, REVISION, Rule

RULES: tuple[Rule, ...] = (
    Rule(
        "community_org",
        BOTH,
        "39号 art. 2 (社会团体, 基金会, 民办非企业单位); DOMAIN.md Kinds: filed, not registered",
        standing.community_org,
        switchable=False,
    ),
    Rule(
        "ended",
        BOTH,
        "DOMAIN.md Lifecycle: after 注销 the organization accepts nothing",
        standing.ended,
        switchable=False,
    ),
    Rule(
        "in_liquidation",
        BOTH,
        "DOMAIN.md Lifecycle: after 撤销/吊销, in liquidation until 注销",
        standing.in_liquidation,
        switchable=False,
    ),
    Rule(
        "registered_under_two_years",
        BOTH,
        "39号 art. 6 取得登记证书满两个年度; kept by the 2026 revision",
        standing.registered_under_two_years,
    ),
    Rule(
        "grade_still_valid",
        ORDER_39,
        "39号 art. 6: never rated, or the grade's 5-year validity has ended",
        standing.grade_still_valid,
    ),
    Rule(
        "grade_past_four_years",
        REVISION,
        "2026 revision: 在评估等级有效期的前4年内可以申请重新评估",
        standing.grade_past_four_years,
    ),
    Rule(
        "inspection_missing",
        BOTH,
        "39号 art. 7: 上年度未参加年检; kept by the 2026 revision (annual work report)",
        conduct.inspection_missing,
    ),
    Rule(
        "inspection_unqualified",
        ORDER_39,
        "39号 art. 7: 上年度年检不合格; no longer a bar under the 2026 revision",
        conduct.inspection_unqualified,
    ),
    Rule(
        "basically_qualified_twice",
        ORDER_39,
        "39号 art. 7: 连续2年年检基本合格; no longer a bar under the 2026 revision",
        conduct.basically_qualified_twice,
    ),
    Rule(
        "penalty",
        BOTH,
        "39号 art. 7: 上年度受到行政处罚或尚未执行完毕; the 2026 revision keeps penalties "
        "that are not minor",
        conduct.penalty,
    ),
    Rule(
        "minor_penalty",
        ORDER_39,
        "39号 art. 7; the 2026 revision no longer bars a 轻微行政处罚",
        conduct.minor_penalty,
    ),
    Rule(
        "under_investigation",
        ORDER_39,
        "39号 art. 7: 正在被有关政府部门或司法机关立案调查; no longer a bar under the 2026 "
        "revision",
        conduct.under_investigation,
    ),
    Rule(
        "credit_listed",
        BOTH,
        "民政部令第60号 lists; a bar under 39号 by the 2021 national rules and localities, "
        "kept by the 2026 revision",
        conduct.credit_listed,
    ),
)
BY_NAME = {r.name: r for r in RULES}
