"""The approval screen's open data quality flags: what the reviewer of a report looks at before approving it.

Open warnings do not block approval; they are listed beside the buttons so that the reviewer sees
them, with a link to the quality page filtered to the report's organisation and period.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import html

from api.errors import BackboneError
from dashboard import i18n
from dashboard.context import _
from dashboard.data import quality
from dashboard.data.quality import FlagStatus, QualityFlagPublic
from dashboard.parts.components import link, notice
from dashboard.parts.quality import breakdown_text, rule_label

UNUSUAL = "⚠"  # beside a count of open warnings: a mark that does not rely on colour alone


def warning_count(count: int, language: str) -> str:
    """A report's open warnings as the completeness table shows them: the number, marked when there are any."""
    shown = i18n.number(count, language, 0)
    return f"{UNUSUAL} {shown}" if count else shown


def quality_path(organisation: str, period: str) -> str:
    """The quality page showing one organisation's open flags for one period."""
    return "/quality?" + urlencode({"organisation": organisation, "period": period})


def _item(flag: QualityFlagPublic, language: str) -> html.Li:
    key = [flag.indicator, flag.area, flag.period]
    if flag.breakdown:
        key.append(breakdown_text(flag.breakdown))
    number = flag.observed  # as reported: whole where it is whole, else to two decimals
    shown = "–" if number is None else i18n.number(number, language, 0 if number.is_integer() else 2)
    observed = _("value {value}", value=shown)
    return html.Li([html.Strong(rule_label(flag.rule)), f" · {' · '.join(key)} · {observed}: ", flag.message])


def open_flags(organisation: str, period: str, language: str) -> html.Div | None:
    """The report's open flags in the reviewer's language, or that there are none; nothing for an unknown code."""
    try:
        found = quality.flags(status=FlagStatus.open, organisation=organisation, period=period).items
    except BackboneError:  # an organisation that does not exist (a tampered request): nothing to list
        return None
    if not found:
        return notice(_("No open data quality warnings on this report."), "success", id="completeness-flags-none")
    return html.Div(
        [
            html.P(
                [
                    html.Strong(_("Open data quality warnings: {count}.", count=len(found))),
                    " ",
                    _("They do not block the approval: check them before you approve or return the report."),
                ]
            ),
            html.Ul([_item(flag, language) for flag in found], id="completeness-flags-list"),
            link(
                _("See them on the Data quality page"), quality_path(organisation, period), id="completeness-flags-link"
            ),
        ],
        className="notice notice-warning",
        role="status",
    )
