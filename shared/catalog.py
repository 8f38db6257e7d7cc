"""The services there are: every `<name>/spec.py` of the services package, found by scanning it.

The package is `services` unless SOCORG_SERVICES_PACKAGE names another (tests point it at a
temporary one). Specs come in the order of their default ports, the order `socorg run` starts
them and lists them in. Adding a service is adding its folder: nothing here changes.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.base import check_producers
from shared.spec import ServiceSpec


class CatalogSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOCORG_", extra="ignore")

    services_package: str = Field(
        "services", description="the package whose <name>/spec.py modules are the services"
    )


class NoSpec(LookupError):
    pass


def specs() -> tuple[ServiceSpec, ...]:
    """Every service's spec, ordered by default port."""
    return discover(CatalogSettings().services_package)


@functools.cache
def discover(package: str) -> tuple[ServiceSpec, ...]:
    root = importlib.import_module(package)
    found: list[ServiceSpec] = []
    for sub in pkgutil.iter_modules(root.__path__):
        if not sub.ispkg or importlib.util.find_spec(f"{package}.{sub.name}.spec") is None:
            continue
        module = importlib.import_module(f"{package}.{sub.name}.spec")
        spec = getattr(module, "SPEC", None)
        if not isinstance(spec, ServiceSpec):
            # also what a circular import looks like: spec.py must stay cheap to import
            raise NoSpec(f"{module.__name__} defines no SPEC = ServiceSpec(...)")
        if spec.name != sub.name:
            raise NoSpec(f"{module.__name__} names its service {spec.name!r}, not {sub.name!r}")
        found.append(spec)
    found.sort(key=lambda s: (s.port, s.name))
    streams = [s.stream for s in found if s.stream]
    if len(set(streams)) != len(streams):
        raise ValueError(f"two services of {package} produce to one stream: {streams}")
    for spec in found:
        spec.load_contracts()
    check_producers({s.contracts: s.name for s in found if s.contracts is not None})
    return tuple(found)


def names() -> tuple[str, ...]:
    return tuple(s.name for s in specs())


def producers() -> tuple[str, ...]:
    """The services that publish events (they have a stream)."""
    return tuple(s.name for s in specs() if s.stream is not None)


def get(service: str) -> ServiceSpec:
    for spec in specs():
        if spec.name == service:
            return spec
    raise ValueError(f"unknown service {service!r}; one of: {', '.join(names())}")


def stream_of(producer: str) -> str:
    """The JetStream stream a producing service's relay publishes to."""
    stream = get(producer).stream
    if stream is None:
        raise ValueError(f"{producer} publishes no events")
    return stream
