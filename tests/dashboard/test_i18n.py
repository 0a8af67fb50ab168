"""The interface in Dutch, German and English: every message translated, numbers per locale."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from dashboard import i18n

DASHBOARD = Path(i18n.__file__).parent


def messages_in_code() -> set[str]:
    found = extract_from_dir(str(DASHBOARD), method_map=[("**.py", "python")], keywords={"_": None, "N_": None})
    return {message for _file, _line, message, _comments, _context in found}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", ["nl", "de"])
def test_every_message_of_the_dashboard_is_translated(language):
    wanted = messages_in_code()
    assert len(wanted) > 30
    catalog = i18n.catalog(language)
    missing = sorted(m for m in wanted if not catalog.get(m))
    assert missing == [], f"untranslated in {language}: run `make messages` and translate {missing}"
    for message in wanted:
        assert placeholders(catalog[message]) == placeholders(message), message


def test_untranslated_english_and_placeholders():
    assert i18n.gettext("Log in", "nl") == "Inloggen"
    assert i18n.gettext("Log in", "de") == "Anmelden"
    assert i18n.gettext("Log in", "en") == "Log in"
    assert i18n.gettext("Up to {year}", "de", year=2024) == "Bis 2024"
    assert i18n.gettext("A text nobody translated", "nl") == "A text nobody translated"


def test_numbers_use_the_locales_decimal_and_group_marks():
    assert i18n.number(1234.56, "nl") == "1.234,6"
    assert i18n.number(1234.56, "de") == "1.234,6"
    assert i18n.number(1234.56, "en") == "1,234.6"
    assert i18n.value(61.5, "percent", "de") == "61,5\u00a0%"  # a no-break space, as German typesetting wants
    assert i18n.value(61.5, "percent", "nl") == "61,5%"
    assert i18n.value(12, "count", "en") == "12"
    assert i18n.value(None, "percent", "nl") == "–"
    assert i18n.separators("de") == ",." and i18n.separators("en") == ".,"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr-FR, nl;q=0.5, de;q=0.4", "nl"),
        ("en-US", "en"),
        ("fr", "en"),
        (None, "en"),
        ("nl;q=0, de;q=0.1", "de"),
        ("garbage;q=x", "en"),
    ],
)
def test_language_follows_the_browsers_preference(header, language):
    assert i18n.negotiate(header) == language


def test_catalogs_are_valid_po_files():
    for language in ("nl", "de"):
        text = (DASHBOARD / "locale" / language / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        assert re.search(rf'"Language: {language}\\n"', text)
