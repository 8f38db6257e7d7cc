"""The evaluation service as the platform sees it: settings, app, stream, contracts, the
projection of REGISTRY its consumer runner feeds, migrations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from services.evaluation.cli import follow_up_draw
from services.evaluation.demo.cli import evaluation_demo
from services.evaluation.settings import EvaluationSettings
from shared.spec import ServiceSpec

if TYPE_CHECKING:
    from shared.consumer import Projection
    from shared.http.app import Platform


def _projections(platform: Platform) -> Sequence[Projection]:
    from services.evaluation.bootstrap import projection  # only once the platform is up

    settings = platform.settings
    assert isinstance(settings, EvaluationSettings)
    return [projection(settings.event_max_bytes)]


SPEC = ServiceSpec(
    name="evaluation",
    settings=EvaluationSettings,
    description="等级评估: the 3A–5A grading workflow: rounds, applications, scoring, decision, "
    "公示, 复核 and confirmation; the grade recorded on the registry; reactions to registry "
    "facts (downgrade, cancellation, 核查评估), 跟踪评估 draws and their cases, and expiry; "
    "eligibility to apply, from a projection of the registry's events, and the investigations "
    "(立案调查) the bureau records here.",
    app="services.evaluation.main:create_app",
    migrations=Path(__file__).parent / "migrations",
    stream="EVALUATION",
    contracts="shared.contracts.evaluation",
    projections=_projections,
    # socorg evaluation-demo: a round on the demo register; socorg follow-up-draw: 跟踪评估
    commands=(evaluation_demo, follow_up_draw),
)
