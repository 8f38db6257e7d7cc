"""The four services by name: their settings classes and app factories, loaded lazily."""

from __future__ import annotations

import importlib

from shared.settings import ServiceSettings

SERVICES = ("registry", "evaluation", "metrics", "notifier")


def check(service: str) -> str:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; one of: {', '.join(SERVICES)}")
    return service


def settings_class(service: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"services.{check(service)}.settings")
    cls: type[ServiceSettings] = getattr(module, f"{service.capitalize()}Settings")
    return cls


def app_factory(service: str) -> str:
    return f"services.{check(service)}.main:create_app"
