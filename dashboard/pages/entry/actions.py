"""What the data-entry page does with the services: which rows it shows, checking and saving, and what it says."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from dash import html

from api.errors import BackboneError, Conflict, ErrorItem, Forbidden, Invalid
from api.models.observation import WriteSummary
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import imports, quality
from dashboard.data.quality import QualityWarning
from dashboard.data.sessions import Principal
from dashboard.pages.entry.form import EDITABLE, FINAL, CellProblem, locate
from dashboard.pages.entry.table import row_label, table_rows
from dashboard.parts.components import notice
from dashboard.parts.problems import explain
from dashboard.parts.quality import rule_label

log = logging.getLogger(__name__)
MAX_FORM_ROWS = 2000  # beyond this a form is no help: the template and an upload are


def scope_of(principal: Principal, organisation: str | None, chosen: str | None) -> dict:
    """Which rows the page shows: the organisation (a member's own; staff choose) and a year or one period."""
    organisation_id: int | None = principal.organisation_id
    if principal.is_admin:
        codes = {code: oid for oid, code, _name in imports.reporting_organisations()}
        organisation_id = codes.get(organisation or "")
    chosen = (chosen or "").strip()
    if chosen and not chosen.isdigit():
        return {"organisation": organisation_id, "year": None, "period": chosen[:16]}
    if chosen and 1900 <= int(chosen) <= 2100:
        return {"organisation": organisation_id, "year": int(chosen), "period": None}
    today = dt.date.today()
    year = today.year - 1
    if organisation_id is not None:
        year = imports.due_year(organisation_id)
    return {"organisation": organisation_id, "year": year, "period": None}


def trusted(principal: Principal, scope: dict | None) -> dict:
    """The scope a callback received, with the organisation a member may use: always their own."""
    scope = dict(scope or {})
    if not principal.is_admin:
        scope["organisation"] = principal.organisation_id
    return scope


def load(scope: dict) -> tuple[list[dict], html.Div | None]:
    """The table's rows for a scope, or the notice that says why there are none."""
    if scope.get("organisation") is None:
        return [], notice(_("Choose the organisation you enter values for."), id="entry-empty")
    rows = imports.entry_rows(scope["organisation"], scope.get("year"), scope.get("period"))
    if not rows:
        message = _("Nothing to report for this period: none of the assignments covers it.")
        return [], notice(message, id="entry-empty")
    if len(rows) > MAX_FORM_ROWS:
        message = _(
            "This period has {count} values to report, too many for a form: download the template on the "
            "Upload page, fill it in and upload it.",
            count=i18n.number(len(rows), context.language(), 0),
        )
        return [], notice(message, "warning", id="entry-empty")
    return table_rows(rows, context.language()), None


def failure(exc: Exception, keys: list[str]) -> tuple[str, list[CellProblem], list[ErrorItem]]:
    """A failed check or save as a message for the person and problems for the cells; never a traceback."""
    if isinstance(exc, Conflict) and exc.code == "period_locked":
        cells, general = locate(exc.errors, keys)
        return _("Nothing was saved: {reason}", reason=exc.message), cells, general
    if isinstance(exc, (Invalid, Forbidden)) and any(e.field for e in exc.errors):
        cells, general = locate(exc.errors, keys)
        return _("Nothing was saved: correct the marked cells."), cells, general
    if imports.busy(exc):
        return _("The database is busy with another change; nothing was saved. Please save again."), [], []
    if isinstance(exc, Forbidden):
        return _("You may not report these values; nothing was saved."), [], []
    if isinstance(exc, BackboneError):
        return _("Nothing was saved: {reason}", reason=exc.message), [], []
    log.error("data entry failed", exc_info=exc)
    return _("Something went wrong on our side; nothing was saved. It has been logged."), [], []


def _cell_names(data: list[dict]) -> Callable[[CellProblem], str]:
    """How the lists below the table name a cell: its row, and its column where it is one of the typed ones."""
    labels = {row["id"]: row_label(row) for row in data}
    names = {"value": _("Value"), "numerator": _("Numerator"), "denominator": _("Denominator")}
    names |= {"status": _("Status"), "note": _("Note")}
    return lambda p: labels.get(p.row, p.row) + (f" — {names[p.column]}: " if p.column in names else ": ")


def problem_list(problems: list[CellProblem], general: list[ErrorItem], data: list[dict]) -> html.Ul | None:
    """The problems below the table, each with its row and column, in the interface's language."""
    if not problems and not general:
        return None
    cell = _cell_names(data)
    items = [html.Li([html.Strong(cell(p)), explain(p.code, p.message)], title=p.message) for p in problems]
    items += [html.Li(explain(e.code, e.message)) for e in general]
    return html.Ul(items, id="entry-problem-list")


def located_warnings(found: list[QualityWarning], keys: list[str]) -> tuple[list[CellProblem], list[str]]:
    """A dry run's quality warnings at their cells (as errors are located: the batch's item is the table's row),
    each saying in the user's language which rule found what; those that point at no cell come back apart."""
    texts = quality.warning_texts(found)
    items = [
        ErrorItem(code=w.rule, message=f"{rule_label(w.rule)}: {text}", field=w.field)
        for w, text in zip(found, texts, strict=True)
    ]
    cells, general = locate(items, keys)
    return cells, [e.message for e in general]


def warning_list(warned: list[CellProblem], general: list[str], data: list[dict]) -> html.Div | None:
    """The unusual values below the table, each with its row and column, what the rule found, and that they can
    still be saved (a warning, not an error)."""
    if not warned and not general:
        return None
    cell = _cell_names(data)
    items = [html.Li([html.Strong(cell(p)), p.message]) for p in warned]
    items += [html.Li(text) for text in general]
    heading = _(
        "Unusual values: {count}. They can still be saved; they are flagged on the quality page for a second look.",
        count=len(items),
    )
    return html.Div([html.P(heading), html.Ul(items, id="entry-warning-list")], className="notice notice-warning")


def _shown(name: str, text: str | None) -> str:
    if name == "status":
        flags = {FINAL: _("final"), "provisional": _("provisional"), "estimated": _("estimated")}
        return " + ".join(flags.get(t, t) for t in (text or FINAL).split()) or _("final")
    return text or "–"


def confirmation(summary: WriteSummary, sent: list[dict], original: dict, fresh: list[dict]) -> html.Div:
    """What the save did: counts, the submission, and each row's old and new values."""
    stored = {row["id"]: row for row in fresh}
    names = {"value": _("value"), "numerator": _("numerator"), "denominator": _("denominator")}
    names |= {"status": _("status"), "note": _("note")}
    changes = []
    for row in sent:
        before, after = original.get(row["id"], {}), stored.get(row["id"], row)
        parts = [
            f"{names[n]} {_shown(n, before.get(n))} → {_shown(n, after.get(n))}"
            for n in EDITABLE
            if (before.get(n) or "") != (after.get(n) or "")
        ]
        if parts:
            changes.append(html.Li([html.Strong(row_label(row) + ": "), "; ".join(parts)]))
    headline = _(
        "Saved: {inserted} added, {updated} changed, {unchanged} unchanged (submission #{submission}).",
        inserted=summary.inserted,
        updated=summary.updated,
        unchanged=summary.unchanged,
        submission=summary.submission,
    )
    return html.Div(
        [html.Strong(headline), html.Ul(changes) if changes else None],
        className="notice notice-success",
        role="status",
        id="entry-outcome",
    )
