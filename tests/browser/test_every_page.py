"""Every page of the dashboard opens for the user it is for, in English and German, without a console error
and without a serious or critical WCAG 2.1 AA violation that axe-core can find."""

from __future__ import annotations

import pytest

from bench.browse import PAGES, SETTLED
from tests.browser.conftest import Browsing, accessibility_problems


@pytest.fixture(scope="module")
def server(reading_server):
    """These tests only read: they share one server."""
    return reading_server


@pytest.mark.parametrize("language", ["en-GB", "de-DE"])
def test_every_page_opens_without_console_errors(browser, server, language):
    sessions: dict[str | None, Browsing] = {}
    inaccessible: dict[str, list[str]] = {}
    try:
        for target in PAGES:
            if target.user not in sessions:
                sessions[target.user] = Browsing(browser, server, language=language)
                if target.user is not None:
                    sessions[target.user].log_in(target.user)
            page = sessions[target.user].page
            page.goto(server.url + target.path)
            for selector in target.ready:
                page.wait_for_selector(selector)
            page.wait_for_function(SETTLED)
            assert page.locator("text=Traceback").count() == 0, target.name
            # axe-core once per page (in German: the structure is the same in every language; 10 s saved).
            if language == "de-DE" and (problems := accessibility_problems(page)):
                inaccessible[target.name] = problems
        errors = {user: s.errors for user, s in sessions.items() if s.errors}
        assert errors == {}
        assert inaccessible == {}
    finally:
        for opened in sessions.values():
            opened.close()
