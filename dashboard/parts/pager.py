"""A window onto a long list of set-up rows, found and paged on the server: a national alliance has 168,000
areas and schools and 240,000 assignments, more than a page can hold or a browser can show at once.

Above the grid: a find box (part of a code or a name, any case), where the shown rows are in the whole
("Rows 1 to 50 of 168,052") and the buttons to the rows before and after. The page that uses it keeps
the offset in its store (``<prefix>-offset``) and asks for the rows of the window it names.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard import i18n
from dashboard.context import _, language
from dashboard.parts.components import notice

SIZE = 50  # rows in one window: the grid's page (a page's data costs the browser more time than its rows)


def controls(prefix: str, count: int, total: int, *, label: str | None = None) -> html.Div:
    """The find box, where the rows are, and the previous and next buttons; at first the first ``count`` rows."""
    _offset, shown, first, last = state(0, count, total)
    return html.Div(
        [
            html.Label(
                [
                    label or _("Find (part of a code or name)"),
                    dcc.Input(id=f"{prefix}-find", type="search", debounce=True, value="", autoComplete="off"),
                ],
            ),
            html.Button(
                _("Previous rows"), id=f"{prefix}-previous", className="button secondary", n_clicks=0, disabled=first
            ),
            html.Span(shown, id=f"{prefix}-shown", role="status"),
            html.Button(_("Next rows"), id=f"{prefix}-next", className="button secondary", n_clicks=0, disabled=last),
            dcc.Store(id=f"{prefix}-offset", data=0),
        ],
        className="filters pager",
    )


def moved(prefix: str, trigger: str | None, offset: int | None) -> int:
    """The first row of the window to show after ``trigger``: the rows after or before, or (a new find, another
    choice above the grid) the first."""
    if trigger == f"{prefix}-next":
        return (offset or 0) + SIZE
    if trigger == f"{prefix}-previous":
        return max(0, (offset or 0) - SIZE)
    return 0


def state(offset: int, count: int, total: int) -> tuple[int, str, bool, bool]:
    """The offset, where the rows are in words, and whether previous and next are disabled."""
    lang = language()
    if not count:
        said = _("No rows found.") if total == 0 else _("No rows here.")
    else:
        said = _(
            "Rows {first} to {last} of {total}",
            first=i18n.number(offset + 1, lang, 0),
            last=i18n.number(offset + count, lang, 0),
            total=i18n.number(total, lang, 0),
        )
    return offset, said, offset == 0, offset + count >= total


def unsaved() -> html.Div:
    """Why the grid stays as it is: other rows would drop the changes typed into it."""
    return notice(
        _("Save the changes first (or open the page again to drop them): other rows would lose them."), "warning"
    )
