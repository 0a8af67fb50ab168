"""The story behind the curve: per indicator, the area's own stories first, then the alliance-wide ones."""

from __future__ import annotations

from tests.conftest import login
from tests.dashboard.callbacks import call, log_in


def test_an_areas_stories_come_before_the_alliance_wide_ones(demo_client):
    stories = demo_client.get("/api/v1/narratives", params={"indicator": "reading-standard", "area": "05954036"})
    assert stories.status_code == 200
    found = stories.json()
    assert [s["area"] for s in found] == ["05954036", None]
    assert found[0]["organisation"] == "STADT-WITTEN" and "Witten" in found[0]["text"]["de"]
    assert set(found[0]["text"]) == {"nl", "de", "en"}


def test_other_areas_get_only_the_alliance_wide_story(demo_client):
    found = demo_client.get("/api/v1/narratives", params={"indicator": "reading-standard", "area": "GM0014"}).json()
    assert [s["area"] for s in found] == [None]
    everything = demo_client.get("/api/v1/narratives", params={"indicator": "reading-standard"}).json()
    assert len(everything) == 2


def test_unknown_or_unpublished_indicators_are_404_for_the_public(demo_client):
    assert demo_client.get("/api/v1/narratives", params={"indicator": "nope"}).status_code == 404
    assert demo_client.get("/api/v1/narratives", params={"indicator": "primary-pupils"}).status_code == 404
    member = login(demo_client, "kidsfirst")
    assert demo_client.get("/api/v1/narratives", params={"indicator": "primary-pupils"}, headers=member).json() == []
    missing_area = demo_client.get("/api/v1/narratives", params={"indicator": "reading-standard", "area": "XX"})
    assert missing_area.status_code == 404


STORY = {
    "indicator": "rate",
    "area": "A1",
    "text": {"en": "What works: reading at home", "nl": "Wat werkt: thuis lezen"},
}


def tell(client, headers, **changes):
    return client.post("/api/v1/narratives", json={**STORY, **changes}, headers=headers)


def stories(client, headers=None) -> list[dict]:
    return client.get("/api/v1/narratives", params={"indicator": "rate"}, headers=headers or {}).json()


def test_a_member_tells_a_story_for_their_organisation_and_it_shows_at_once(world, as_user):
    told = tell(world, as_user("alice"), organisation="CITY-B", period="2024")
    assert told.status_code == 201, told.text
    found = told.json()
    assert (found["organisation"], found["indicator"], found["area"], found["period"]) == (
        "CITY-A",
        "rate",
        "A1",
        "2024",
    )
    assert stories(world) == [found]
    assert world.get(f"/api/v1/narratives/{found['id']}").json() == found


def test_a_story_is_recorded_as_a_metadata_submission(world, as_user):
    told = tell(world, as_user("alice")).json()
    made = world.get("/api/v1/submissions", headers=as_user("admin")).json()["items"]
    assert any(s["kind"] == "metadata" and f"narrative {told['id']}" in (s["summary"] or "") for s in made)


def test_members_change_and_delete_their_own_stories(world, as_user):
    alice = as_user("alice")
    told = tell(world, alice).json()
    changed = world.patch(
        f"/api/v1/narratives/{told['id']}", json={"text": {"de": "Was wirkt"}, "period": "2025"}, headers=alice
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["text"], changed.json()["period"], changed.json()["area"]) == (
        {"de": "Was wirkt", "nl": None, "en": None},
        "2025",
        "A1",
    )
    assert world.delete(f"/api/v1/narratives/{told['id']}", headers=alice).status_code == 204
    assert stories(world) == []


def test_another_organisations_story_is_403_and_unchanged(world, as_user):
    told = tell(world, as_user("alice")).json()
    bob = as_user("bob")
    assert world.patch(f"/api/v1/narratives/{told['id']}", json={"period": "2020"}, headers=bob).status_code == 403
    assert world.delete(f"/api/v1/narratives/{told['id']}", headers=bob).status_code == 403
    assert stories(world) == [told]
    admin = as_user("admin")
    changed = world.patch(f"/api/v1/narratives/{told['id']}", json={"period": "2020"}, headers=admin).json()
    assert (changed["organisation"], changed["period"]) == ("CITY-A", "2020")


def test_viewers_and_strangers_cannot_tell_or_change_stories(world, as_user):
    told = tell(world, as_user("alice")).json()
    assert tell(world, as_user("viewer")).status_code == 403
    assert tell(world, {}).status_code == 401
    assert world.patch(f"/api/v1/narratives/{told['id']}", json={"period": "2020"}).status_code == 401
    assert world.delete(f"/api/v1/narratives/{told['id']}", headers=as_user("viewer")).status_code == 403
    assert stories(world) == [told]


def test_members_tell_stories_only_of_what_they_report_where_they_report_it(world, as_user):
    alice = as_user("alice")
    other_area = tell(world, alice, area="B1")
    assert other_area.status_code == 403 and [e["field"] for e in other_area.json()["errors"]] == ["body.area"]
    alliance = tell(world, alice, area=None)
    assert alliance.status_code == 403 and [e["field"] for e in alliance.json()["errors"]] == ["body.area"]
    assert tell(world, alice, area="NL").status_code == 201  # the country above A1
    assert tell(world, as_user("admin"), area=None).json()["organisation"] == "BACKBONE"
    told = tell(world, alice).json()
    moved = world.patch(f"/api/v1/narratives/{told['id']}", json={"area": "B1"}, headers=alice)
    assert moved.status_code == 403
    assert world.get(f"/api/v1/narratives/{told['id']}").json()["area"] == "A1"


def test_bad_stories_are_422_naming_the_field_and_nothing_is_written(world, as_user):
    alice = as_user("alice")
    cases = [
        ({"indicator": "nope"}, "body.indicator"),
        ({"area": "nope"}, "body.area"),
        ({"period": "2024-Q1"}, "body.period"),  # the indicator is yearly
        ({"period": "x" * 17}, "body.period"),
        ({"text": {"en": "x" * 2001}}, "body.text.en"),
        ({"text": {"en": "  "}}, "body.text"),
        ({"text": {"fr": "Bonjour"}}, "body.text.fr"),
    ]
    for changes, field in cases:
        response = tell(world, alice, **changes)
        assert response.status_code == 422, (changes, response.text)
        assert field in [e["field"] for e in response.json()["errors"]], (changes, response.json())
    assert stories(world, as_user("admin")) == []
    told = tell(world, alice).json()
    emptied = world.patch(f"/api/v1/narratives/{told['id']}", json={"text": None}, headers=alice)
    assert emptied.status_code == 422 and stories(world) == [told]


def test_a_kids_first_story_shows_at_once_on_the_indicator_page(demo_client):
    member = login(demo_client, "kidsfirst")
    text = {"nl": "Nieuw: een taalcoach in elke peutergroep in Selwerd."}
    told = demo_client.post(
        "/api/v1/narratives", json={"indicator": "ece-participation", "area": "GM0014", "text": text}, headers=member
    )
    assert told.status_code == 201, told.text
    log_in(demo_client, "steering", language="nl")
    path = "/dashboard/indicator/ece-participation"
    page = call(demo_client, [("_pages_location", "pathname", path), ("_pages_location", "search", "?area=GM0014")])
    assert "taalcoach" in str(page)


def test_a_story_of_an_unpublished_indicator_is_not_found_for_the_public(world, as_user):
    told = tell(world, as_user("alice"), indicator="hidden").json()
    assert world.get(f"/api/v1/narratives/{told['id']}").status_code == 404
    assert world.get(f"/api/v1/narratives/{told['id']}", headers=as_user("viewer")).json() == told
