"""What a client's scopes and place let it do."""

from shared.http.keys import Client


def client(scopes: set[str], place: str | None = None) -> Client:
    return Client("id", "name", frozenset(scopes), place)


def test_a_scope_is_held_exactly_or_by_wildcard() -> None:
    assert client({"registry:read"}).has("registry:read")
    assert not client({"registry:read"}).has("registry:write")
    assert client({"registry:*"}).has("registry:write")
    assert not client({"registry:*"}).has("evaluation:decide")
    assert client({"*"}).has("evaluation:decide")


def test_a_district_key_covers_its_district_only() -> None:
    wuchang = client({"registry:write"}, "420106")
    assert (
        wuchang.covers("420106") and wuchang.covers("420106002") and wuchang.covers("420106002003")
    )
    assert not wuchang.covers("420102")


def test_a_city_key_covers_its_whole_city_and_a_province_key_its_province() -> None:
    wuhan = client({"registry:write"}, "420100")
    assert wuhan.covers("420106") and wuhan.covers("420117001")
    assert not wuhan.covers("330203")
    assert client({"x"}, "420000").covers("421000")


def test_a_key_without_place_covers_everywhere() -> None:
    assert client({"registry:write"}).covers("511802")


def test_a_national_key_covers_every_province() -> None:
    assert client({"registry:write"}, "100000").covers("511802")
