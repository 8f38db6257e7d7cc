"""The evaluation service as the platform sees it: settings, app, stream, contracts, migrations."""

from pathlib import Path

from services.evaluation.settings import EvaluationSettings
from shared.spec import ServiceSpec

SPEC = ServiceSpec(
    name="evaluation",
    settings=EvaluationSettings,
    description="等级评估: the 3A–5A grading workflow, recorded on the registry.",
    app="services.evaluation.main:create_app",
    migrations=Path(__file__).parent / "migrations",
    stream="EVALUATION",
    contracts="shared.contracts.evaluation",
)
