"""The stories page and the activities on the goal and indicator pages, called as the browser calls them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import login
from tests.dashboard.callbacks import by_id, call, log_in
from tests.dashboard.test_entry_upload_callbacks import text

ACTIVITY_STATE = [
    "goal",
    "status",
    "start",
    "end",
    "indicators",
    "areas",
    "title",
    "description",
]


def page(client: TestClient, path: str, search: str = "") -> dict:
    return call(client, [("_pages_location", "pathname", path), ("_pages_location", "search", search)])


def save_activity(client: TestClient, chosen: object = "new", language: str = "en", **fields: object) -> dict:
    state = [("stories-activity-choice", "value", chosen)]
    state += [(f"stories-activity-{name}", "value", fields.get(name)) for name in ACTIVITY_STATE]
    state.append(("stories-language", "value", language))
    return call(client, [("stories-activity-save", "n_clicks", 1)], state)


def save_story(client: TestClient, chosen: object = "new", language: str = "en", **fields: object) -> dict:
    state = [("stories-narrative-choice", "value", chosen)]
    state += [(f"stories-narrative-{n}", "value", fields.get(n)) for n in ("indicator", "area", "period", "text")]
    state.append(("stories-language", "value", language))
    return call(client, [("stories-narrative-save", "n_clicks", 1)], state)


def activities(client: TestClient, **query: str) -> list[dict]:
    return client.get("/api/v1/activities", params=query).json()["items"]


def test_the_goal_page_shows_its_activities_grouped_by_status(demo_client):
    log_in(demo_client, "steering")
    layout = page(demo_client, "/dashboard/goal/mixed-schools")["_pages_content.children"]
    shown = text(by_id(layout, "goal-activities"))
    assert shown.index("Active (2)") < shown.index("Planned (1)") < shown.index("Completed (1)")
    assert "Common admission procedure for primary schools" in shown and "Gemeente Groningen" in shown
    assert "Tell a story" not in text(layout)  # the steering group reads


def test_the_indicator_page_shows_the_activities_that_work_on_it(demo_client):
    log_in(demo_client, "witten", language="de")
    layout = page(demo_client, "/dashboard/indicator/reading-standard", "?area=05954036")["_pages_content.children"]
    shown = text(by_id(layout, "indicator-activities"))
    assert "Lesezeit: täglich zwanzig Minuten in allen Grundschulen" in shown and "Stadt Witten" in shown
    assert "Elterncafés an Grundschulen" in shown  # stopped, but still in the register
    assert by_id(layout, "indicator-edit-stories")


def test_a_member_adds_an_activity_that_shows_on_the_goal_page_at_once(demo_client):
    log_in(demo_client, "kidsfirst", language="nl")
    form = page(demo_client, "/dashboard/stories", "?goal=transitions")["_pages_content.children"]
    assert by_id(form, "stories-activity-goal")["props"]["value"] == "transitions"
    found = save_activity(
        demo_client,
        language="nl",
        goal="transitions",
        status="active",
        start="2025-09-01",
        indicators=["ece-participation"],
        areas=["GM0014"],
        title="Overstapgesprekken groep 8",
        organisation="STADT-WITTEN",  # not a field of the form: ignored
    )
    assert "Opgeslagen" in text(found["stories-activity-result.children"])
    (made,) = activities(demo_client, goal="transitions", organisation="KIDSFIRST")
    assert (made["title"], made["status"], made["areas"]) == (
        {"nl": "Overstapgesprekken groep 8", "de": None, "en": None},
        "active",
        ["GM0014"],
    )
    assert found["stories-activity-choice.value"] == made["id"]
    log_in(demo_client, "steering")
    layout = page(demo_client, "/dashboard/goal/transitions")["_pages_content.children"]
    assert "Overstapgesprekken groep 8" in text(by_id(layout, "goal-activities"))


def test_translating_an_activity_keeps_its_other_languages(demo_client):
    log_in(demo_client, "witten")
    (own, *_rest) = activities(demo_client, organisation="STADT-WITTEN")
    loaded = call(demo_client, [("stories-activity-choice", "value", own["id"]), ("stories-language", "value", "en")])
    assert loaded["stories-activity-title.value"] == own["title"]["en"]
    fields = {name: loaded[f"stories-activity-{name}.value"] for name in ACTIVITY_STATE}
    save_activity(demo_client, own["id"], **{**fields, "title": "New English title", "status": "completed"})
    changed = demo_client.get(f"/api/v1/activities/{own['id']}").json()
    assert changed["title"] == {**own["title"], "en": "New English title"} and changed["status"] == "completed"


def test_a_member_cannot_save_or_delete_another_organisations_activity_through_the_form(demo_client):
    (foreign, *_rest) = activities(demo_client, organisation="STADT-WITTEN")
    log_in(demo_client, "hattingen")
    found = save_activity(demo_client, foreign["id"], goal=foreign["goal"], status="stopped", title="Mine now")
    assert "another organisation" in text(found["stories-activity-result.children"])
    deleted = call(
        demo_client,
        [("stories-activity-delete", "submit_n_clicks", 1)],
        [("stories-activity-choice", "value", foreign["id"])],
    )
    assert "another organisation" in text(deleted["stories-activity-result.children"])
    assert demo_client.get(f"/api/v1/activities/{foreign['id']}").json() == foreign


def test_bad_activity_input_is_named_and_nothing_is_saved(demo_client):
    log_in(demo_client, "kidsfirst")
    before = activities(demo_client)
    for fields, words in (
        ({"goal": "early-years", "title": ""}, "title"),
        ({"goal": "early-years", "title": "x", "start": "2025-01-01", "end": "2024-01-01"}, "end_date"),
        ({"goal": "early-years", "title": "x", "areas": ["05954036"]}, "areas.0"),
        ({"goal": "early-years", "title": "x", "start": "not a day"}, "cannot be read"),
        ({"goal": None, "title": "x"}, "goal"),
    ):
        found = save_activity(demo_client, **fields)
        message = text(found["stories-activity-result.children"])
        assert "Nothing was saved" in message and words in message, (fields, message)
    assert activities(demo_client) == before


def test_a_member_tells_a_story_edits_it_and_deletes_it(demo_client):
    log_in(demo_client, "kidsfirst")
    saved = save_story(demo_client, indicator="ece-participation", area="GM0014", period="2025", text="A new start")
    assert "Saved" in text(saved["stories-narrative-result.children"])
    chosen = saved["stories-narrative-choice.value"]
    api = demo_client.get(f"/api/v1/narratives/{chosen}").json()
    assert (api["organisation"], api["period"], api["text"]["en"]) == ("KIDSFIRST", "2025", "A new start")
    wrong = save_story(demo_client, chosen, area="GM0014", period="2025-Q9", text="x")
    assert "period" in text(wrong["stories-narrative-result.children"])
    save_story(demo_client, chosen, language="nl", area="GM0014", period="2025", text="Een nieuwe start")
    both = demo_client.get(f"/api/v1/narratives/{chosen}").json()["text"]
    assert (both["en"], both["nl"]) == ("A new start", "Een nieuwe start")
    gone = call(
        demo_client,
        [("stories-narrative-delete", "submit_n_clicks", 1)],
        [("stories-narrative-choice", "value", chosen)],
    )
    assert (
        "Deleted" in text(gone["stories-narrative-result.children"]) and gone["stories-narrative-choice.value"] == "new"
    )
    assert demo_client.get(f"/api/v1/narratives/{chosen}").status_code == 404


def test_the_stories_page_is_for_members_and_staff_only(demo_client):
    assert demo_client.get("/dashboard/stories", follow_redirects=False).status_code == 303
    log_in(demo_client, "steering")
    layout = page(demo_client, "/dashboard/stories")["_pages_content.children"]
    assert "Not allowed" in text(layout)
    found = save_activity(demo_client, goal="early-years", title="Sneaky")
    assert "log in again" in text(found["stories-activity-result.children"])
    assert not [a for a in activities(demo_client) if a["title"]["en"] == "Sneaky"]
    assert login(demo_client, "steering")  # the viewer's token still works: refused for the role, not the session


def test_a_tampered_choice_is_refused_with_a_message(demo_client):
    log_in(demo_client, "kidsfirst")
    for chosen in (99999999999999999999, "1; DROP TABLE activity", True):
        found = save_activity(demo_client, chosen, goal="early-years", title="x")
        assert "Choose a story or an activity" in text(found["stories-activity-result.children"])


def test_a_member_tells_stories_of_what_they_report_and_works_on_any_indicator(demo_client):
    log_in(demo_client, "kidsfirst")
    form = page(demo_client, "/dashboard/stories", "?indicator=ece-participation&area=GM0014")[
        "_pages_content.children"
    ]
    told = {o["value"] for o in by_id(form, "stories-narrative-indicator")["props"]["options"]}
    assert told == {"ece-participation", "ece-reach-indicated", "language-support-need", "ece-spending-per-child"}
    assert by_id(form, "stories-narrative-indicator")["props"]["value"] == "ece-participation"
    worked_on = {o["value"] for o in by_id(form, "stories-activity-indicators")["props"]["options"]}
    assert "segregation-dissimilarity" in worked_on
    areas = {o["value"] for o in by_id(form, "stories-activity-areas")["props"]["options"]}
    assert "GM0014" in areas and "05954036" not in areas
