"""A new alliance, from an empty database to the first reported value, only in the browser.

`backbone serve` on an empty database prints the first admin's one-time link; the admin sets a
password, makes an organisation (typed into the grid), the agenda, a goal, a dimension, an
indicator with a target trajectory, pastes twenty areas as CSV, assigns the indicator, and invites
a member, who opens the link, sets a password, logs in and enters a value; the steering view shows
that value and its progress. On SQLite and, in CI, on PostgreSQL.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.conftest import Browsing, accessibility_problems, choose, editing
from tests.server import running_server

AREAS = """code,name,level,parent
NL,Nederland,country,
PV20,Groningen (provincie),province,NL
GM0014,Groningen,municipality,PV20
GM1966,Het Hogeland,municipality,PV20
GM1969,Westerkwartier,municipality,PV20
GM1952,Midden-Groningen,municipality,PV20
GM1979,Eemsdelta,municipality,PV20
GM1895,Oldambt,municipality,PV20
GM0765,Pekela,municipality,PV20
GM0037,Stadskanaal,municipality,PV20
GM0047,Veendam,municipality,PV20
GM1950,Westerwolde,municipality,PV20
WK001400,Centrum,district,GM0014
WK001401,Oud-Zuid,district,GM0014
WK001402,Oud-West,district,GM0014
WK001403,Noorddijk,district,GM0014
WK001404,Oosterparkwijk,district,GM0014
WK001405,Helpman,district,GM0014
WK001406,Haren,district,GM0014
WK001407,Ten Boer,district,GM0014
"""
AGENDA = "code,name_en,name_nl\nequal-chances,Equal chances for every child,Gelijke kansen voor elk kind\n"
GOALS = "code,position,title_en\nearly-years,1,A strong start\n"
DIMENSIONS = (
    "dimension,dimension_name_en,value,value_name_en,position\n"
    "ses,Socio-economic status,low,Low,1\n"
    "ses,Socio-economic status,high,High,2\n"
)
INDICATORS = (
    "code,goal,name_en,unit,direction,period_type,aggregation,dimensions,suppression_threshold,published\n"
    "ece-participation,early-years,Participation in early childhood education,percent,higher,year,ratio,ses,0,true\n"
)
TARGETS = (
    "indicator,area,baseline_period,baseline_value,target_period,target_value\n"
    "ece-participation,GM0014,2020,80,2024,84\n"
    "ece-participation,GM0014,2020,80,2030,90\n"
)
ASSIGNMENTS = "organisation,indicator,area\nKIDSFIRST,ece-participation,GM0014\n"
PASSWORD = "lantern-harbour-meadow-41"


def first_admin_link(log: Path) -> str:
    found = re.search(r"http://\S+/dashboard/invitation/\S+", log.read_text())
    assert found, log.read_text()
    return found.group(0)


def paste(page, kind: str, rows: str) -> None:
    """Paste rows on a set-up page, check them, then load them."""
    page.goto(page.url.split("/dashboard/")[0] + f"/dashboard/admin/{kind}")
    page.fill(f"#admin-{kind}-paste", rows)
    page.click(f"#admin-{kind}-check-rows")
    result = f"#admin-{kind}-rows-result"
    page.wait_for_function(f"() => document.querySelector('{result}').innerText.includes('Checked')")
    page.click(f"#admin-{kind}-load-rows")
    page.wait_for_function(f"() => document.querySelector('{result}').innerText.includes('Loaded')")


def test_a_new_alliance_is_set_up_in_the_browser_and_its_first_value_reported(browser, database_url, tmp_path):
    with running_server(database_url, tmp_path) as server:
        link = first_admin_link(next(tmp_path.glob("server-*.log")))
        admin = Browsing(browser, server)
        try:
            page = admin.page
            page.goto(link)
            page.fill("#invitation-password", PASSWORD)
            page.fill("#invitation-repeat", PASSWORD)
            page.click("#invitation-submit")
            page.wait_for_selector("#shell-user")

            # An organisation typed into the grid, with the keyboard.
            page = admin.open("/dashboard/admin/organisations", "#admin-organisations-grid .ag-cell")
            page.click("#admin-organisations-add")
            new_row = "#admin-organisations-grid .ag-row[row-id='new-1']"
            page.locator(f"{new_row} .ag-cell[col-id='code']").click()
            page.keyboard.press("Enter")
            editing(page)
            page.keyboard.type("KIDSFIRST")
            page.keyboard.press("Tab")  # keeps the value and edits the next cell
            editing(page)
            page.keyboard.type("Kids First")
            page.keyboard.press("Tab")
            for _ in range(3):  # the type, chosen from its list: municipality, region, childcare
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            page.click("#admin-organisations-save")
            page.wait_for_selector("#admin-organisations-result .notice-success")
            assert "1 new" in page.inner_text("#admin-organisations-result")
            kids_first = page.locator("#admin-organisations-grid .ag-row[row-id='KIDSFIRST'] .ag-cell[col-id='type']")
            assert kids_first.inner_text() == "childcare"
            name = "#admin-organisations-grid .ag-row[row-id='KIDSFIRST'] .ag-cell[col-id='name']"
            assert page.locator(name).inner_text() == "Kids First"
            assert accessibility_problems(page) == []

            paste(page, "agenda", AGENDA)
            paste(page, "goals", GOALS)
            paste(page, "dimensions", DIMENSIONS)
            paste(page, "indicators", INDICATORS)
            paste(page, "areas", AREAS)
            assert "20 new" in page.inner_text("#admin-areas-rows-result")
            paste(page, "targets", TARGETS)
            paste(page, "assignments", ASSIGNMENTS)

            # A member of Kids First, invited: the admin hands over the link shown.
            page = admin.open("/dashboard/admin/users", "#admin-users-grid .ag-cell")
            page.fill("#admin-users-new-username", "carla")
            page.fill("#admin-users-new-name", "Carla Jansen")
            page.focus("#admin-users-new-organisation")
            choose(page, "#admin-users-new-organisation", "Kids First")
            page.click("#admin-users-add")
            page.wait_for_selector("#admin-users-new-link")
            invitation = page.input_value("#admin-users-new-link")
            assert admin.errors == []
        finally:
            admin.close()

        member = Browsing(browser, server, language="nl-NL")
        try:
            page = member.page
            page.goto(invitation)
            page.fill("#invitation-password", PASSWORD)
            page.fill("#invitation-repeat", PASSWORD)
            page.click("#invitation-submit")
            page.wait_for_selector("#shell-user")
            assert "Carla Jansen" in page.inner_text("#shell-user")
            page = member.open("/dashboard/entry?year=2025", "#entry-table .ag-cell[col-id='value']")
            page.locator("#entry-table .ag-cell[col-id='value']").first.click()  # the total, Groningen, 2025
            page.keyboard.type("86,5")
            page.keyboard.press("Enter")
            page.wait_for_function("() => document.querySelector('#entry-pending').innerText.includes('1')")
            page.click("#entry-save")
            page.wait_for_selector("#entry-outcome")
            assert member.errors == []
        finally:
            member.close()

        steering = Browsing(browser, server)  # the public view of a published indicator
        try:
            view = steering.open("/dashboard/indicator/ece-participation?area=GM0014", "#indicator-status .big")
            status = view.inner_text("#indicator-status")
            assert "86.5" in status and "(2025)" in status
            assert "on track" in status.lower()  # 86.5 against 85 expected on the way from 80 (2020) to 90 (2030)
            assert steering.errors == []
        finally:
            steering.close()
