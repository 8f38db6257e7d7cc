"""The registry as the platform sees it: settings, app, stream, contracts, commands, migrations."""

from pathlib import Path

from services.registry.demo.cli import demo
from services.registry.settings import RegistrySettings
from shared.spec import ServiceSpec

SPEC = ServiceSpec(
    name="registry",
    settings=RegistrySettings,
    description=(
        "System of record of social organizations (社会组织): registration, filing, changes, "
        "annual reports and inspections, ends and ratings; every fact an event."
    ),
    app="services.registry.main:create_app",
    migrations=Path(__file__).parent / "migrations",
    stream="REGISTRY",
    contracts="shared.contracts.registry",
    commands=(demo,),  # socorg demo <profile>: a demo register through the import API
)
