"""The notifier service as the platform sees it: settings, app, stream, contracts, the
projection of REGISTRY its consumer runner feeds, its command (`socorg zombie-scan`), migrations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from services.notifier.cli import zombie_scan
from services.notifier.settings import NotifierSettings
from shared.spec import ServiceSpec

if TYPE_CHECKING:
    from shared.consumer import Projection
    from shared.http.app import Platform


def _projections(platform: Platform) -> Sequence[Projection]:
    from services.notifier.bootstrap import projection  # only once the platform is up

    settings = platform.settings
    assert isinstance(settings, NotifierSettings)
    return [projection(settings.zombie(), settings.event_max_bytes)]


SPEC = ServiceSpec(
    name="notifier",
    settings=NotifierSettings,
    description="Zombie organizations, reminders and alerts over NATS and signed webhooks.",
    app="services.notifier.main:create_app",
    migrations=Path(__file__).parent / "migrations",
    stream="NOTIFIER",
    contracts="shared.contracts.notifier",
    projections=_projections,
    commands=(zombie_scan,),  # socorg zombie-scan --on DAY
)
