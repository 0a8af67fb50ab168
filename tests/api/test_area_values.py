"""An indicator across areas (for the map and the area choice): values as the caller may see them."""

from __future__ import annotations

import pytest

from api.errors import NotFound
from api.models.common import Role
from api.services.accounts.auth import Principal
from api.services.analytics.area_values import area_values, areas_with_values
from tests.api.test_observations import put, value

ADMIN = Principal(user_id=0, username="staff", full_name="", role=Role.admin, organisation_id=0, organisation="X")


def read_model(client):
    return client.app.state.backbone.read_model


def test_areas_with_values_include_roll_ups_from_the_top_down(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2024", numerator=60, denominator=100))
    found = areas_with_values(read_model=read_model(world), principal=None, indicator="rate")
    assert [(a.code, a.level, a.parent) for a in found] == [("NL", "country", None), ("A1", "municipality", "NL")]


def test_small_numbers_are_suppressed_on_the_map_for_the_public_but_not_for_staff(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2024", numerator=3, denominator=8))  # 8 < 10: hidden
    put(world, as_user("bob"), value("rate", "B1", "2023", numerator=50, denominator=100))
    put(world, as_user("bob"), value("rate", "B1", "2024", numerator=80, denominator=100))
    public = area_values(read_model=read_model(world), principal=None, indicator="rate")
    assert (public.level, public.levels, public.period, public.periods) == (
        "municipality",
        ["country", "municipality"],
        "2024",
        ["2023", "2024"],
    )
    by_code = {item.code: item for item in public.items}
    assert by_code["A1"].suppressed and by_code["A1"].value is None and by_code["A1"].status.value == "no_data"
    # B1 is hidden too: with the country's roll-up published, A1 would be NL minus B1.
    assert by_code["B1"].suppressed and by_code["B1"].parent_name == "Area NL"
    staff = {i.code: i for i in area_values(read_model=read_model(world), principal=ADMIN, indicator="rate").items}
    assert staff["A1"].value == pytest.approx(37.5) and not staff["A1"].suppressed
    assert staff["B1"].value == pytest.approx(80.0) and staff["B1"].status.value == "on_track"  # target 50 -> 70
    earlier = area_values(read_model=read_model(world), principal=None, indicator="rate", period="2023")
    assert {i.code: (i.value, i.suppressed) for i in earlier.items}["A1"] == (None, False)  # no value: not hidden
    top = area_values(read_model=read_model(world), principal=None, indicator="rate", level="country")
    assert [i.code for i in top.items] == ["NL"]


def test_unpublished_indicators_do_not_exist_for_the_public(world):
    with pytest.raises(NotFound):
        area_values(read_model=read_model(world), principal=None, indicator="hidden")
    with pytest.raises(NotFound):
        areas_with_values(read_model=read_model(world), principal=None, indicator="nope")
    assert area_values(read_model=read_model(world), principal=ADMIN, indicator="hidden").items == []


def test_a_map_of_more_municipalities_than_fit_starts_a_level_up(world, as_user, monkeypatch):
    from api.services.analytics import area_values as service

    put(world, as_user("alice"), value("rate", "A1", "2024", numerator=60, denominator=100))
    put(world, as_user("bob"), value("rate", "B1", "2024", numerator=70, denominator=100))
    assert area_values(read_model=read_model(world), principal=None, indicator="rate").level == "municipality"
    monkeypatch.setattr(service, "MAP_AREAS", 1)  # two municipalities are now too many
    shown = area_values(read_model=read_model(world), principal=None, indicator="rate")
    assert shown.level == "country" and [i.code for i in shown.items] == ["NL"]
    chosen = area_values(read_model=read_model(world), principal=None, indicator="rate", level="municipality")
    assert len(chosen.items) == 2  # asked for, they are all there
