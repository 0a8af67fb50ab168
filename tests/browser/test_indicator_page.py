"""The indicator page in a real browser: series, breakdown and map; areas chosen on the map; downloads; not found."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from tests.server import Server


@pytest.fixture(scope="module")
def server(reading_server):
    """These tests only read: they share one server."""
    return reading_server


MAP = "#indicator-map .js-plotly-plot"


def outside_requests(browsing) -> list[str]:
    """Every request the page makes that leaves the machine (there must be none: no tiles, no topojson)."""
    found: list[str] = []
    browsing.page.on("request", lambda r: None if r.url.startswith(browsing.server.url) else found.append(r.url))
    return found


def click_tile(page, code: str) -> None:
    grid = page.evaluate(f"() => document.querySelector('{MAP}').layout.meta.tiles")
    row, column = next((r, c) for r, cells in enumerate(grid) for c, cell in enumerate(cells) if cell == code)

    def centre() -> tuple[float, float]:
        box = page.locator("#indicator-map .nsewdrag").first.bounding_box()
        return (
            box["x"] + box["width"] * (column + 0.5) / len(grid[0]),
            box["y"] + box["height"] * (row + 0.5) / len(grid),
        )

    page.evaluate(f"window.scrollBy(0, {centre()[1] - 300})")  # the tile itself in view, however tall the map
    x, y = centre()
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def click_boundary(page, code: str) -> None:
    page.locator("#indicator-map").scroll_into_view_if_needed()
    curves = page.evaluate(f"() => document.querySelector('{MAP}').layout.meta.curves")
    box = page.locator("#indicator-map .scatterlayer .trace .js-fill").nth(curves.index(code)).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def wait_for_area(page, name: str) -> None:
    page.wait_for_function(f"() => document.querySelector('#indicator-status').innerText.includes('{name}')")


def upload_boundaries(server: Server) -> None:
    """Made-up quadrilaterals for the demo's municipalities (not their real shapes), uploaded by an admin."""
    codes = [
        line.split(",")[0] for line in Path("seed_data/areas.csv").read_text().splitlines() if ",municipality," in line
    ]
    features = [
        {
            "type": "Feature",
            "properties": {"code": code},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[x, y], [x + 0.18, y], [x + 0.18, y + 0.13], [x + 0.05, y + 0.14], [x, y]]],
            },
        }
        for i, code in enumerate(codes)
        for x, y in [(6 + (i % 6) * 0.2, 52 - (i // 6) * 0.15)]
    ]
    token = httpx.post(f"{server.url}/api/v1/auth/token", data={"username": "admin", "password": "demo-admin"}).json()[
        "access_token"
    ]
    response = httpx.put(
        f"{server.url}/api/v1/areas/boundaries",
        json={"type": "FeatureCollection", "features": features},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text


def test_visitor_sees_series_breakdown_and_map_and_picks_areas_on_tiles_and_boundaries(browsing):
    outside = outside_requests(browsing)
    page = browsing.open("/dashboard/indicator/reading-standard?area=05954036", "#indicator-map .heatmaplayer")
    assert "Reading: standard reached" in page.inner_text("#indicator-name")
    assert page.locator("#indicator-series .scatterlayer .trace").count() >= 3  # values, trajectory, baseline...
    assert page.locator("#indicator-equity .barlayer .point").count() > 5  # the gap per school year
    assert "Low minus High" in page.inner_text("#indicator-equity-summary")
    assert "Witten" in page.inner_text("#indicator-status")
    assert "Witten" in page.inner_text("#indicator-stories")  # Witten's own story, before the alliance's
    click_tile(page, "GM0014")
    wait_for_area(page, "Groningen")
    assert "area=GM0014" in page.url
    assert "Witten" not in page.inner_text("#indicator-stories")

    upload_boundaries(browsing.server)
    page = browsing.open("/dashboard/indicator/reading-standard?area=GM0014", "#indicator-map .scatterlayer .js-fill")
    assert page.locator("#indicator-map .scatterlayer .js-fill").count() == 21
    click_boundary(page, "05954016")
    wait_for_area(page, "Hattingen")
    assert outside == []


def test_csv_holds_the_charts_data_with_suppressed_values_flagged_and_png_is_an_image(browsing):
    page = browsing.open("/dashboard/indicator/first-generation-students?area=05954036", "#indicator-series .trace")
    with page.expect_download() as download:
        page.click("#indicator-csv")
    assert download.value.suggested_filename == "first-generation-students-05954036.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    totals = {r["period"]: r for r in rows if r["breakdown"] == "" and r["kind"] == "value"}
    assert totals["2019"]["suppressed"] == "true" and totals["2019"]["value"] == ""  # hidden from the public
    assert totals["2020"]["suppressed"] == "false" and float(totals["2020"]["value"]) > 0
    assert {r["area_name"] for r in rows} == {"Witten"}
    assert {r["breakdown"] for r in rows if r["kind"] == "value"} >= {"", "gender:girl", "gender:other"}
    assert any(r["breakdown"] == "gender:other" and r["suppressed"] == "true" for r in rows)
    with page.expect_download() as image:
        page.click("#indicator-png")
    assert Path(image.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_reported_value_downloads_as_a_workbook_with_small_cells_withheld(browsing):
    from openpyxl import load_workbook

    page = browsing.open("/dashboard/indicator/first-generation-students?area=05954036", "#indicator-series .trace")
    with page.expect_download() as download:
        page.click("#indicator-export-xlsx")
    assert download.value.suggested_filename == "backbone-observations-first-generation-students.xlsx"
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    header, *rows = workbook.active.iter_rows(values_only=True)
    table = [dict(zip(header, row, strict=True)) for row in rows]
    assert {r["indicator"] for r in table} == {"first-generation-students"}
    hidden = [r for r in table if r["suppressed"]]
    assert hidden and all(r["value"] == "x" and r["denominator"] is None for r in hidden)
    assert all(isinstance(r["value"], int | float) for r in table if not r["suppressed"])


def test_unpublished_indicators_are_not_found_for_the_public_but_shown_to_the_steering_group(browsing):
    page = browsing.open("/dashboard/indicator", "#indicators-index")
    assert page.locator("#indicators-reading-standard").count() == 1
    assert page.locator("#indicators-ece-spending-per-child").count() == 0  # not published
    page.click("#indicators-reading-standard")
    page.wait_for_selector("#indicator-name")
    for code in ("ece-spending-per-child", "no-such-indicator"):
        browsing.open(f"/dashboard/indicator/{code}", "#indicator-not-found")
    browsing.log_in("steering")
    page = browsing.open("/dashboard/indicator/ece-spending-per-child", "#indicator-name")
    assert "Not published" in page.inner_text("#indicator-name")
    assert page.locator("#indicator-no-breakdown").is_visible()
