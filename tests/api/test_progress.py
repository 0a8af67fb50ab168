"""Progress per goal and area from the read model; writes show up in the next read."""

from __future__ import annotations

from tests.api.test_observations import put, value


def indicators_of(client, headers=None, **params):
    body = client.get("/api/v1/progress", params=params, headers=headers or {}).json()
    return {i["code"]: i for group in body["items"] for i in group["indicators"]}


def test_no_data_before_anything_is_reported(world):
    found = indicators_of(world, area="A1")
    assert found["rate"]["status"] == "no_data" and found["rate"]["latest"] is None
    assert found["rate"]["baseline"] == {"period": "2015", "value": 50.0}
    assert found["rate"]["target"] == {"period": "2025", "value": 70.0}
    assert "hidden" not in found  # unpublished, anonymous caller


def test_status_against_the_linear_trajectory(world, as_user):
    # Trajectory 50 (2015) -> 70 (2025): 2020 expects 60.
    put(world, as_user("alice"), value("rate", "A1", "2020", value=61.0, numerator=122, denominator=200))
    put(world, as_user("bob"), value("rate", "B1", "2020", value=59.0, numerator=118, denominator=200))
    a1 = indicators_of(world, area="A1")["rate"]
    b1 = indicators_of(world, area="B1")["rate"]
    assert a1["status"] == "on_track" and a1["expected"] == 60.0
    assert a1["progress"] == 0.55  # (61 - 50) / (70 - 50)
    assert b1["status"] == "off_track" and b1["progress"] == 0.45


def test_latest_period_is_used_and_a_write_shows_in_the_next_read(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2019", value=55.0), value("rate", "A1", "2021", value=58.0))
    assert indicators_of(world, area="A1")["rate"]["latest"] == {"period": "2021", "value": 58.0}
    put(world, as_user("alice"), value("rate", "A1", "2022", value=66.0))
    latest = indicators_of(world, area="A1")["rate"]
    assert latest["latest"] == {"period": "2022", "value": 66.0} and latest["status"] == "on_track"


def test_until_shows_progress_as_it_stood_in_that_year(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2019", value=55.0), value("rate", "A1", "2021", value=58.0))
    then = indicators_of(world, area="A1", until=2020)["rate"]
    assert then["latest"] == {"period": "2019", "value": 55.0}
    assert then["progress"] == 0.25  # (55 - 50) / (70 - 50)
    assert indicators_of(world, area="A1", until=2014)["rate"]["latest"] is None
    assert world.get("/api/v1/progress", params={"until": 1066}).status_code == 422


def test_summary_counts_statuses_per_goal_and_area(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2020", value=61.0))
    group = world.get("/api/v1/progress", params={"area": "A1"}).json()["items"][0]
    assert group["goal"]["code"] == "g1" and group["area"]["code"] == "A1"
    assert group["summary"] == {
        "on_track": 1,
        "off_track": 0,
        "no_data": 1,
        "share_on_track": 1.0,
        "improving": 0,
        "assessed": 0,
        "share_improving": None,
        "proof_point": False,
    }


def test_summary_counts_the_indicators_improving_over_three_years(world, as_user):
    # rate: 55 (2018) -> 60 (2021) improves; count: 12 (2018) -> 10 (2021) does not (higher is better).
    put(
        world,
        as_user("alice"),
        value("rate", "A1", "2018", value=55.0),
        value("rate", "A1", "2021", value=60.0),
        value("count", "A1", "2018", value=12),
        value("count", "A1", "2021", value=10),
    )
    summary = world.get("/api/v1/progress", params={"area": "A1"}).json()["items"][0]["summary"]
    assert (summary["improving"], summary["assessed"], summary["share_improving"]) == (1, 2, 0.5)
    assert summary["proof_point"] is False  # StriveTogether counts a proof point from 60%


def test_without_area_every_reporting_area_is_listed(world):
    body = world.get("/api/v1/progress").json()
    assert [(g["goal"]["code"], g["area"]["code"]) for g in body["items"]] == [("g1", "A1"), ("g1", "B1")]
    assert body["total"] == 2


def test_small_latest_values_are_suppressed_for_others(world, as_user):
    put(world, as_user("alice"), value("count", "A1", "2024", value=3))
    assert indicators_of(world, area="A1")["count"]["suppressed"] is True
    assert indicators_of(world, area="A1")["count"]["latest"]["value"] is None
    assert indicators_of(world, as_user("alice"), area="A1")["count"]["latest"]["value"] == 3


def test_unknown_goal_or_area_is_404(world):
    assert world.get("/api/v1/progress", params={"goal": "nope"}).status_code == 404
    assert world.get("/api/v1/progress", params={"area": "nope"}).status_code == 404


def test_status_codes_come_with_labels_in_three_languages(world):
    body = world.get("/api/v1/statuses").json()
    assert [s["code"] for s in body["status"]] == ["on_track", "off_track", "no_data"]
    assert {a["code"] for a in body["assessment"]} == {
        "target_achieved",
        "substantial_progress",
        "moderate_progress",
        "limited_progress",
        "deterioration",
        "not_assessable",
    }
    assert all(s["label"]["nl"] and s["label"]["de"] and s["label"]["en"] for s in body["status"] + body["assessment"])


def test_a_changed_target_shows_in_the_next_read_of_remembered_progress(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2020", value=61.0, numerator=122, denominator=200))
    assert indicators_of(world, area="A1")["rate"]["status"] == "on_track"  # remembered from here on
    admin = as_user("admin")
    (target,) = world.get("/api/v1/targets", params={"indicator": "rate", "area": ""}).json()["items"]
    patched = world.patch(f"/api/v1/targets/{target['id']}", json={"target_value": 90}, headers=admin)
    assert patched.status_code == 200, patched.text
    # Trajectory 50 (2015) -> 90 (2025): 2020 now expects 70, and 61 falls short.
    rate = indicators_of(world, area="A1")["rate"]
    assert rate["expected"] == 70.0 and rate["status"] == "off_track"


def test_one_level_of_areas_gives_the_same_figures_as_every_area(demo_client, monkeypatch):
    # The overview asks for municipalities only; the series are asked of DuckDB in chunks of areas.
    from api.models.common import AreaLevel
    from api.services.analytics import progress as service

    monkeypatch.setattr(service, "_CHUNK", 1)  # each area's series asked alone
    model = demo_client.app.state.backbone.read_model
    every = service.progress(read_model=model, principal=None, limit=100_000, offset=0).items
    towns = service.progress(
        read_model=model, principal=None, limit=100_000, offset=0, level=AreaLevel.municipality
    ).items
    assert {g.area.level for g in every} > {AreaLevel.municipality}  # schools and regions too
    expected = [g for g in every if g.area.level == AreaLevel.municipality]
    assert len(towns) == len(expected) > 7
    model.close()  # nothing remembered: the municipalities worked out again, in chunks of several areas
    monkeypatch.setattr(service, "_CHUNK", 7)
    towns = service.progress(
        read_model=model, principal=None, limit=100_000, offset=0, level=AreaLevel.municipality
    ).items
    assert [g.model_dump() for g in towns] == [g.model_dump() for g in expected]
    assert any(e.latest is not None for g in towns for e in g.indicators)


def test_the_overview_s_counts_are_the_progress_counts_worked_out_again_only_for_the_goal_a_save_touches(
    demo_client, monkeypatch
):
    from api.models.common import AreaLevel
    from api.services.analytics import progress as service
    from tests.conftest import login

    model = demo_client.app.state.backbone.read_model
    towns = AreaLevel.municipality
    full = service.progress(read_model=model, principal=None, limit=100_000, offset=0, level=towns).items
    counts = service.summaries(read_model=model, principal=None, level=towns)
    assert [(s.goal, s.area, s.summary) for s in counts] == [(p.goal, p.area, p.summary) for p in full]
    assert len({s.goal.code for s in counts}) > 1 and any(s.summary.on_track for s in counts)

    worked_out: list[tuple[str, tuple[str, ...]]] = []
    goal_area = service._goal_area

    def counted(read_model, cur, goal, place, mine, *args):
        worked_out.append((goal[0], tuple(i.code for i in mine)))
        return goal_area(read_model, cur, goal, place, mine, *args)

    monkeypatch.setattr(service, "_goal_area", counted)
    assert service.summaries(read_model=model, principal=None, level=towns) == counts
    assert worked_out == []  # remembered
    (witten,) = [p for p in full if p.goal.code == "early-years" and p.area.code == "05954036"]
    (participation,) = [i for i in witten.indicators if i.code == "ece-participation"]
    assert participation.status == "on_track" and participation.latest is not None
    saved = put(  # the latest value far below its trajectory
        demo_client,
        login(demo_client, "witten"),
        value("ece-participation", "05954036", participation.latest.period, value=1.0, numerator=10, denominator=1000),
    )
    assert saved.status_code == 200, saved.text
    after = service.summaries(read_model=model, principal=None, level=towns)
    # Only the indicator saved, for every municipality; the goal's other indicators' counts are remembered.
    assert set(worked_out) == {("early-years", ("ece-participation",))} and len(worked_out) == len(counts) // len(
        {s.goal.code for s in counts}
    )
    assert after == service.summaries(read_model=model, principal=None, level=towns)
    expected = service.progress(read_model=model, principal=None, limit=100_000, offset=0, level=towns).items
    assert [(s.goal, s.area, s.summary) for s in after] == [(p.goal, p.area, p.summary) for p in expected]
    (now,) = [s.summary for s in after if s.goal.code == "early-years" and s.area.code == "05954036"]
    assert now.on_track == witten.summary.on_track - 1 and now.off_track == witten.summary.off_track + 1


def test_the_overview_s_counts_are_read_from_the_kept_file_after_a_restart(demo_database_url, tmp_path, monkeypatch):
    from api.models.common import AreaLevel
    from api.services.analytics import progress as service
    from tests.conftest import app_client, make_settings

    monkeypatch.setattr("api.readmodel._KEEP_SLOWER_THAN", 0.0)  # small figures: keep them all the same
    settings = make_settings(demo_database_url, tmp_path)
    with app_client(settings) as client:
        before = service.summaries(
            read_model=client.app.state.backbone.read_model, principal=None, level=AreaLevel.municipality
        )
    assert before

    def not_again(*args: object) -> None:
        raise AssertionError("worked out again")

    monkeypatch.setattr(service, "_goal_area", not_again)
    with app_client(settings) as client:
        model = client.app.state.backbone.read_model
        assert service.summaries(read_model=model, principal=None, level=AreaLevel.municipality) == before


def test_the_summary_gives_each_goal_and_area_the_counts_progress_gives_it_a_page_at_a_time(world, as_user):
    put(world, as_user("alice"), value("rate", "A1", "2020", value=61.0, numerator=122, denominator=200))
    for headers in ({}, as_user("alice"), as_user("admin")):
        full = world.get("/api/v1/progress", params={"limit": 1000}, headers=headers).json()["items"]
        summary = world.get("/api/v1/progress/summary", params={"limit": 1000}, headers=headers).json()
        assert summary["total"] == len(full) == 2
        assert summary["items"] == [{k: g[k] for k in ("goal", "area", "summary")} for g in full]
    towns = world.get("/api/v1/progress/summary", params={"level": "municipality", "limit": 1, "offset": 1}).json()
    assert towns["total"] == 2 and [g["area"]["code"] for g in towns["items"]] == ["B1"]
    assert world.get("/api/v1/progress/summary", params={"level": "school"}).json()["total"] == 0  # none has data
    (a1,) = [g for g in summary["items"] if g["area"]["code"] == "A1"]
    assert a1["summary"]["on_track"] == 1
    refused = world.get("/api/v1/progress/summary", params={"level": "planet"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "query.level"


def test_a_year_past_every_period_shares_the_figures_of_no_year_and_one_before_every_period_those_of_the_first(
    world, as_user, monkeypatch
):
    from api.services.analytics import progress as service

    put(world, as_user("alice"), value("rate", "A1", "2019", value=55.0), value("rate", "A1", "2021", value=58.0))
    now = world.get("/api/v1/progress/summary").json()
    long_before = world.get("/api/v1/progress/summary", params={"until": 1900}).json()
    worked_out: list[str] = []
    goal_area = service._goal_area

    def counted(read_model, cur, goal, place, *args):
        worked_out.append(place.code)
        return goal_area(read_model, cur, goal, place, *args)

    monkeypatch.setattr(service, "_goal_area", counted)
    for year in (2025, 2030, 2200):  # the last period the world knows is the target's, 2025
        assert world.get("/api/v1/progress/summary", params={"until": year}).json() == now
    for year in (1901, 1950, 2014):  # the first is the baseline's, 2015
        assert world.get("/api/v1/progress/summary", params={"until": year}).json() == long_before
    assert worked_out == []  # each remembered from the first answer
    then = world.get("/api/v1/progress/summary", params={"until": 2020}).json()
    assert worked_out and then != now and then != long_before  # a year between: figures of its own
    assert indicators_of(world, area="A1", until=2200)["rate"] == indicators_of(world, area="A1")["rate"]
