"""The notifier service as the platform sees it: settings, app, stream, contracts, migrations."""

from pathlib import Path

from services.notifier.settings import NotifierSettings
from shared.spec import ServiceSpec

SPEC = ServiceSpec(
    name="notifier",
    settings=NotifierSettings,
    description="Zombie organizations, reminders and alerts over NATS and signed webhooks.",
    app="services.notifier.main:create_app",
    migrations=Path(__file__).parent / "migrations",
    stream="NOTIFIER",
    contracts="shared.contracts.notifier",
)
