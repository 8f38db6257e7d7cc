"""Folding an organization's events back gives the state the commands produced."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from services.registry.domain.organization import Organization
from shared.contracts import contract_of
from shared.contracts.registry import RegistryEvent
from tests.unit.registry.builders import registration


def a_full_life() -> tuple[Organization, list[RegistryEvent]]:
    org, events = Organization("org-1"), list[RegistryEvent]()
    steps: list[Callable[[Organization], RegistryEvent]] = [
        lambda o: o.register(**registration(legal_representative="王五")),
        lambda o: o.change_registration(
            {"legal_representative": "赵六", "registered_capital_yuan": 30000},
            changed_on=date(2021, 2, 1),
        ),
        lambda o: o.submit_annual_report(
            year=2020, submitted_on=date(2021, 4, 1), staff_employed=3
        ),
        lambda o: o.conclude_inspection(
            year=2020, conclusion="基本合格", concluded_on=date(2021, 7, 1)
        ),
        lambda o: o.recognise_as_charity(recognised_on=date(2022, 1, 1)),
        lambda o: o.change_rating(grade="3A", decided_on=date(2022, 6, 1)),
        lambda o: o.order_disposal(
            ordered_on=date(2024, 7, 1), due_on=date(2024, 10, 1), reason="未年检"
        ),
        lambda o: o.revoke_certificate(revoked_on=date(2024, 11, 1), reason="违反慈善法"),
        lambda o: o.deregister(deregistered_on=date(2025, 2, 1), reason="清算完毕"),
    ]
    for step in steps:
        event = step(org)
        events.append(event)
        org = org.apply(event)
    return org, events


def test_replaying_the_events_gives_the_same_state() -> None:
    org, events = a_full_life()
    assert Organization.replay("org-1", events) == org
    assert org.version == len(events) == 9


def test_replaying_events_stored_as_json_gives_the_same_state() -> None:
    org, events = a_full_life()
    stored = [(contract_of(e), contract_of(e).dump(e)) for e in events]
    parsed: list[RegistryEvent] = [c.parse(data) for c, data in stored]
    assert Organization.replay("org-1", parsed) == org


def test_an_event_of_another_organization_is_not_applied() -> None:
    _, events = a_full_life()
    with pytest.raises(ValueError, match="org-1"):
        Organization("org-2").apply(events[0])


def test_applying_an_event_copies_the_state_and_leaves_the_original_as_it_was() -> None:
    org = Organization("org-1")
    after = org.apply(org.register(**registration()))
    assert (org.version, org.status, org.name) == (0, None, None)
    assert (after.version, after.status) == (1, "active")
    assert type(after) is Organization


def test_a_change_of_an_unknown_field_is_refused_not_stored() -> None:
    with pytest.raises(TypeError, match="no field nickname"):
        Organization("org-1")._with(nickname="x")


def test_a_blank_state_is_the_one_the_constructor_makes_with_dicts_of_its_own() -> None:
    blank, other = Organization.blank("org-1"), Organization.blank("org-2")
    assert blank == Organization("org-1")
    assert type(blank) is Organization
    assert vars(blank).keys() == vars(Organization("org-1")).keys()
    assert blank.reports is not other.reports
