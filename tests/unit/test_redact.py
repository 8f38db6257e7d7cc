"""URLs shown without their secrets; secret values scrubbed from text."""

from __future__ import annotations

import pytest

from shared.redact import SecretUrl, hosts, redact_url, scrub, url_secrets


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://registry:pw-123@db:5432/registry",
            "postgresql://registry:***@db:5432/registry",
        ),
        ("postgresql://registry@db/registry", "postgresql://registry@db/registry"),
        (
            "postgresql://db/r?sslmode=require&password=pw-123",
            "postgresql://db/r?sslmode=require&password=***",
        ),
        ("nats://s3cr3t-token@n1:4222", "nats://***@n1:4222"),
        ("nats://u:p@ss@n1:4222", "nats://u:***@n1:4222"),
        ("nats://u:a@n1:4222, nats://u:b@n2:4222", "nats://u:***@n1:4222,nats://u:***@n2:4222"),
        ("nats://127.0.0.1:14222", "nats://127.0.0.1:14222"),
        ("sqlite:///.data/registry.db", "sqlite:///.data/registry.db"),
    ],
)
def test_a_url_is_shown_with_its_secrets_as_stars(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    assert str(SecretUrl(url)) == shown and repr(SecretUrl(url)) == f"SecretUrl({shown!r})"


def test_hosts_carry_no_user_at_all() -> None:
    assert hosts("nats://u:pw@n1:4222,nats://tok@n2:4222,n3:4222") == [
        "n1:4222",
        "n2:4222",
        "n3:4222",
    ]


def test_the_secrets_of_a_url_as_written_and_decoded() -> None:
    assert url_secrets("postgresql://u:p%40ss-1@db/r") == {"p%40ss-1", "p@ss-1"}
    assert url_secrets("nats://tok-1234@n1,nats://u:pw-99@n2") == {"tok-1234", "pw-99"}
    assert url_secrets("postgresql://u@db/r") == set()


def test_scrub_replaces_the_longest_secret_first_and_skips_short_ones() -> None:
    assert scrub("a pw-1234-long and pw-1234", {"pw-1234", "pw-1234-long"}) == "a *** and ***"
    assert scrub("about", {"ab"}) == "about"
