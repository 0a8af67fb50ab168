"""The interface's languages: message catalogs (gettext .po files) and locale formatting (Babel).

Messages are written in English in the code, wrapped in ``_(...)``; ``dashboard/locale``
holds their Dutch and German translations. Numbers and dates are formatted by Babel
with the locale's own conventions (decimal comma in nl and de).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("nl", "de", "en")
DEFAULT = "en"
NAMES = {"nl": "Nederlands", "de": "Deutsch", "en": "English"}
LOCALES = {"nl": "nl_NL", "de": "de_DE", "en": "en_GB"}
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def catalog(language: str) -> dict[str, str]:
    """The translations of one language, read from its .po file once."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        messages = read_po(handle, locale=language)
    return {m.id: m.string for m in messages if m.id and m.string and not m.fuzzy}


def gettext(message: str, language: str, **values: object) -> str:
    """``message`` in ``language`` (English when not translated), with ``{name}`` filled in."""
    text = catalog(language).get(message, message) if language != DEFAULT else message
    return text.format(**values) if values else text


def N_(message: str) -> str:  # noqa: N802
    """Mark ``message`` for translation where it is defined; ``gettext`` translates it where it is shown."""
    return message


UNITS = {
    "percent": N_("percent"),
    "count": N_("number"),
    "rate_per_1000": N_("per 1,000"),
    "index": N_("index"),
    "euro": N_("euro"),
}


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for a browser's Accept-Language header."""
    preferred = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            preferred.append((quality, tag.strip().replace("_", "-")))
    for _, tag in sorted(preferred, key=lambda p: -p[0]):
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT


def locale(language: str) -> Locale:
    return Locale.parse(LOCALES.get(language, LOCALES[DEFAULT]))


def number(value: float | None, language: str, decimals: int = 1) -> str:
    """A number in the locale's notation: 1.234,5 in nl and de, 1,234.5 in en; a dash for none."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale(language))


def percent(share: float | None, language: str, decimals: int = 0) -> str:
    """A share from 0 to 1 as a percentage: 55 %, 55%."""
    if share is None:
        return "–"
    place = locale(language)
    # The locale's own pattern (``#,##0 %`` in German), with the decimals asked for.
    pattern = place.percent_formats[None].pattern.replace("#,##0", "#,##0" + ("." + "0" * decimals if decimals else ""))
    return format_percent(share, format=pattern, locale=place)


def value(amount: float | None, unit: str, language: str) -> str:
    """An indicator's value with its unit: ``61,5 %``, ``1.234``, ``12,3 ‰``, ``€ 1.200``."""
    if amount is None:
        return "–"
    if unit == "percent":
        return percent(amount / 100, language, decimals=1)
    if unit == "count":
        return number(amount, language, decimals=0)
    if unit == "rate_per_1000":
        return number(amount, language, decimals=1) + " ‰"
    if unit == "euro":
        return "€ " + number(amount, language, decimals=0)
    return number(amount, language, decimals=3)


def day(moment: date, language: str) -> str:
    """A date as the locale writes it: 30 Apr 2026, 30 apr. 2026, 30.04.2026."""
    return format_date(moment, format="medium", locale=locale(language))


def when(moment: datetime, language: str) -> str:
    """A timestamp as the locale writes it, to the minute."""
    return format_datetime(moment, format="medium", locale=locale(language))


def separators(language: str) -> str:
    """Plotly's ``separators`` for the locale: decimal mark, then thousands mark."""
    symbols = locale(language).number_symbols.get("latn", locale(language).number_symbols)
    return symbols["decimal"] + symbols["group"]
