"""A member registers an activity on the stories page; the steering group sees it on the goal page."""

from __future__ import annotations

from tests.browser.conftest import Browsing


def choose(page, dropdown: str, text: str) -> None:
    """Pick an option of a Dash dropdown as a person does: open it, click the option, close it."""
    page.click(dropdown)
    page.get_by_role("option", name=text, exact=True).click()
    page.keyboard.press("Escape")


def test_an_activity_a_member_registers_is_on_the_goal_page(browser, server):
    member = Browsing(browser, server)
    steering = Browsing(browser, server)
    try:
        member.log_in("hattingen")
        page = member.open("/dashboard/goal/learning", "#goal-activities")
        page.click("#goal-edit-stories a")
        page.wait_for_selector("#stories-activity-title")
        choose(page, "#stories-activity-status", "Active")
        choose(page, "#stories-activity-areas", "Hattingen")
        page.fill("#stories-activity-start", "2025-09-01")
        page.fill("#stories-activity-title", "Maths club after school")
        page.fill("#stories-activity-description", "Twice a week, with students of the Ruhr-Universität")
        page.click("#stories-activity-save")
        page.wait_for_selector("#stories-activity-outcome")
        assert page.inner_text("#stories-activity-outcome") == "Saved."
        page.wait_for_function(
            "() => document.querySelector('#stories-activity-choice').innerText.includes('Maths club')"
        )

        steering.log_in("steering")
        view = steering.open("/dashboard/goal/learning", "#goal-activities")
        active = view.inner_text("#goal-activities .activity-active")
        assert "Maths club after school" in active and "Stadt Hattingen" in active
        assert member.errors == [] and steering.errors == []
    finally:
        member.close()
        steering.close()
