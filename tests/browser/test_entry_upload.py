"""A reporter's data entry and upload in a real browser: typing, inline errors, saving, files, the template."""

from __future__ import annotations

import re

import httpx

ERROR_BACKGROUND = "rgb(253, 236, 234)"  # dashboard/assets/style.css: .bb-grid .ag-cell.invalid


def stored(server_url: str, **query: str) -> list[dict]:
    return httpx.get(f"{server_url}/api/v1/observations", params=query).json()["items"]


def submission(server_url: str, number: int) -> dict:
    token = httpx.post(f"{server_url}/api/v1/auth/token", data={"username": "admin", "password": "demo-admin"})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return httpx.get(f"{server_url}/api/v1/submissions/{number}", headers=headers).json()


def test_member_types_a_value_sees_a_bad_one_flagged_corrects_it_in_dutch_and_saves(browsing):
    browsing.log_in("kidsfirst")
    page, url = browsing.page, browsing.server.url
    page.click("#shell-lang-nl")
    page.wait_for_selector("#shell-user")
    browsing.open("/dashboard/entry?year=2026", "#entry-table .ag-cell[col-id='value']")
    cell = page.locator("#entry-table .ag-cell[col-id='value']").first
    cell.click()
    page.keyboard.type("150")
    page.keyboard.press("Enter")
    page.wait_for_selector("#entry-problem-list")
    assert "tussen 0 en 100" in page.inner_text("#entry-problem-list")
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == ERROR_BACKGROUND
    assert cell.inner_text() == "✗ 150" and "100" in cell.get_attribute("title")  # not by colour alone; says why
    assert stored(url, area="GM0014", period="2026") == []  # checking writes nothing

    cell.click()
    page.keyboard.type("62,5")  # a Dutch decimal comma
    page.keyboard.press("Enter")
    page.wait_for_selector("#entry-problem-list", state="detached")
    assert "1 nieuw" in page.inner_text("#entry-pending")
    page.click("#entry-save")
    page.wait_for_selector("#entry-outcome")
    outcome = page.inner_text("#entry-outcome")
    assert "1 toegevoegd, 0 gewijzigd" in outcome and "– → 62,5" in outcome
    number = int(re.search(r"#(\d+)", outcome).group(1))

    (value,) = stored(url, indicator="ece-participation", area="GM0014", period="2026")
    assert (value["value"], value["organisation"], value["submission"]) == (62.5, "KIDSFIRST", number)
    made = submission(url, number)
    assert (made["channel"], made["user"], made["rows"]) == ("form", "kidsfirst", 1)
    assert cell.inner_text() == "62,5"  # the table now shows what is stored


BROKEN = b"indicator,area,period,value\nece-participation,GM0014,2026,150\nece-participation,GM0014,2026x,abc\n"
GOOD = b"indicator;area;period;value;numerator;denominator;ses\nece-participation;GM0014;2026;;130;200;\n"


def test_member_uploads_a_broken_then_a_good_file_confirms_it_and_downloads_the_template(browsing):
    browsing.log_in("kidsfirst")
    page, url = browsing.page, browsing.server.url
    browsing.open("/dashboard/upload", "#upload-file")
    with page.expect_download() as download:
        page.click("#upload-template-button")
    assert re.fullmatch(r"backbone-KIDSFIRST-\d{4}\.csv", download.value.suggested_filename)
    template = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert template.startswith("indicator,area,period,") and ",GM0014," in template

    file_input = "#upload-file input[type=file]"
    page.set_input_files(file_input, files=[{"name": "broken.csv", "mimeType": "text/csv", "buffer": BROKEN}])
    page.wait_for_selector("#upload-errors")
    assert "Nothing was written" in page.inner_text("#upload-rejected")
    rows = [
        [row.locator(f'.ag-cell[col-id="{column}"]').inner_text() for column in ("row", "column")]
        for row in page.locator("#upload-errors .ag-center-cols-container .ag-row").all()
    ]
    assert rows == [["2", "value"], ["3", "period"], ["3", "value"]]
    assert page.locator("#upload-confirm").is_hidden()
    assert stored(url, area="GM0014", period="2026") == []

    page.set_input_files(file_input, files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": GOOD}])
    page.wait_for_selector("#upload-counts")
    assert re.search(r"To add\s+1", page.inner_text("#upload-counts"))
    assert stored(url, area="GM0014", period="2026") == []  # not before the confirmation
    page.click("#upload-confirm")
    page.wait_for_selector("#upload-done")
    assert "Imported as submission" in page.inner_text("#upload-done")
    assert re.search(r"Added\s+1", page.inner_text("#upload-done"))
    (value,) = stored(url, indicator="ece-participation", area="GM0014", period="2026")
    assert value["value"] == 65.0 and value["numerator"] == 130


def test_member_fills_a_row_with_the_keyboard_alone_and_saves_it(browsing):
    browsing.log_in("kidsfirst")
    page, url = browsing.page, browsing.server.url
    browsing.open("/dashboard/entry?year=2026", "#entry-table .ag-cell[col-id='value']")
    page.locator("#entry-table .ag-cell[col-id='value']").first.click()  # ece-participation, Groningen
    page.keyboard.type("61.5")
    page.keyboard.press("Tab")  # keeps the value, on to the numerator
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the status
    page.keyboard.press("Enter")  # opens its list
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # provisional
    page.keyboard.press("Tab")  # the note
    page.keyboard.type("checked twice")
    page.keyboard.press("Enter")
    status = page.locator("#entry-table .ag-cell[col-id='status']").first
    assert status.inner_text() == "provisional"
    page.wait_for_function("() => document.querySelector('#entry-pending').innerText.includes('1 new')")
    page.click("#entry-save")
    page.wait_for_selector("#entry-outcome")
    outcome = page.inner_text("#entry-outcome")
    assert "1 added" in outcome and "value – → 61.5" in outcome and "status final → provisional" in outcome
    (value,) = stored(url, indicator="ece-participation", area="GM0014", period="2026")
    flags = (value["value"], value["provisional"], value["estimated"], value["note"])
    assert flags == (61.5, True, False, "checked twice")
