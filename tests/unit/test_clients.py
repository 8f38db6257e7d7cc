"""What a client's scopes and place let it do."""

from shared.http.keys import Client
from shared.places import area_prefix, is_place_code


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


def test_only_the_zeros_of_its_level_widen_a_key() -> None:
    # A zero that is a digit of the code itself is kept: 内江市 511000 is 5110xx, not 511xxx.
    neijiang = client({"registry:write"}, "511000")
    assert neijiang.covers("511011") and neijiang.covers("511011001")
    assert not neijiang.covers("511802001") and not neijiang.covers("511802")
    jingzhou = client({"registry:write"}, "421000")
    assert jingzhou.covers("421002") and not jingzhou.covers("421102")
    chongqing = client({"registry:write"}, "500000")
    assert chongqing.covers("500101") and chongqing.covers("500101001001")
    assert not chongqing.covers("510104") and not chongqing.covers("530102")
    beijing_city = client({"registry:write"}, "110100")
    assert beijing_city.covers("110101") and not beijing_city.covers("110200")


def test_a_county_code_ending_in_zero_covers_itself_only() -> None:
    county = client({"registry:write"}, "420110")
    assert county.covers("420110") and county.covers("420110001")
    assert not county.covers("420111") and not county.covers("420101")
    assert client({"x"}, "420106").covers("420106001") and not client({"x"}, "420106").covers(
        "420107"
    )


def test_street_and_community_keys_cover_their_own_digits() -> None:
    street = client({"registry:write"}, "420106010")
    assert street.covers("420106010") and street.covers("420106010001")
    assert not street.covers("420106011") and not street.covers("420106")
    community = client({"registry:write"}, "420106010100")
    assert community.covers("420106010100") and not community.covers("420106010101")


def test_the_area_prefix_of_each_level() -> None:
    assert [area_prefix(c) for c in ("100000", "500000", "511000", "420100", "420110")] == [
        "",
        "50",
        "5110",
        "4201",
        "420110",
    ]
    assert area_prefix("420106001") == "420106001"


def test_a_place_code_is_ascii_digits_of_a_known_length() -> None:
    assert is_place_code("420106") and is_place_code("420106001") and is_place_code("420106001001")
    assert not is_place_code("²²²²²²") and not is_place_code("４２０１０６")
    assert not is_place_code("42010") and not is_place_code(420106)
