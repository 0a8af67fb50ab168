"""Every table of the dashboard is one AG Grid made here: one look, the reader's language, keyboard and screen reader.

Numbers stay numbers in the rows (so they sort as numbers); what a cell shows is written
on the server in the reader's notation (``62,5``, ``1.234``) into a companion field
``<field>_text`` that the column's formatter shows. No JavaScript is evaluated: dash-ag-grid
reads the ``{"function": ...}`` expressions below with its own parser, which the page's
Content-Security-Policy allows (no ``unsafe-eval``).
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag

from dashboard.context import _

TEXT = "_text"  # suffix of the field that holds how a number is shown


def locale_text() -> dict[str, str]:
    """AG Grid's own words (paging, sorting, empty grid) in the reader's language."""
    return {
        "page": _("Page"),
        "of": _("of"),
        "to": _("to"),
        "firstPage": _("First page"),
        "previousPage": _("Previous page"),
        "nextPage": _("Next page"),
        "lastPage": _("Last page"),
        "pageSizeSelectorLabel": _("Rows per page:"),
        "noRowsToShow": _("No rows to show"),
        "loadingOoo": _("Loading…"),
        "ariaRowSelect": _("Press Space to select this row"),
        "ariaRowDeselect": _("Press Space to deselect this row"),
        "ariaRowToggleSelection": _("Press Space to toggle row selection"),
        "ariaFilterInput": _("Filter input"),
        "filterOoo": _("Filter…"),
        "ariaSortableColumn": _("Press Enter to sort"),
        "ariaChecked": _("checked"),
        "ariaUnchecked": _("unchecked"),
        "sortAscending": _("Sort ascending"),
        "sortDescending": _("Sort descending"),
    }


def shown(field: str) -> dict[str, str]:
    """A column formatter that shows the field's text as the server wrote it (the reader's number notation)."""
    return {"function": f"params.data ? params.data['{field}{TEXT}'] : ''"}


def number_column(field: str, name: str, **options: Any) -> dict[str, Any]:
    """A numeric column, sorted by the number (None when blank, suppressed, not reported), shown as ``<field>_text``."""
    return {"field": field, "headerName": name, "type": "rightAligned", "valueFormatter": shown(field), **options}


def text_column(field: str, name: str, *, width: int = 150, **options: Any) -> dict[str, Any]:
    """A text column at least ``width`` pixels wide, its text wrapped rather than cut."""
    return {"field": field, "headerName": name, "minWidth": width, "wrapText": True, "autoHeight": True, **options}


def code_column(field: str, name: str, *, width: int = 110, **options: Any) -> dict[str, Any]:
    """A column of one line a cell (codes, choices, numbers as typed): no height measured per cell, which
    a text column's wrapping costs the browser (a thousand cells take seconds)."""
    return {"field": field, "headerName": name, "minWidth": width, **options}


def grid(
    id: str,  # noqa: A002  (Dash's name for it)
    columns: list[dict[str, Any]],
    rows: list[dict[str, Any]] | None,
    *,
    row_id: str | None = "id",
    page_size: int | None = None,
    sortable: bool = True,
    options: dict[str, Any] | None = None,
    **props: Any,
) -> dag.AgGrid:
    """An AG Grid with the dashboard's defaults; ``options`` adds to (or overrides) the grid options.

    ``sortable=False``: the rows are a window of a longer list, in its order (``pager``); sorting the
    window alone would look like sorting the list."""
    grid_options: dict[str, Any] = {
        # Cells in the DOM in the order they are shown, every column rendered: what a screen reader needs.
        "ensureDomOrder": True,
        "suppressColumnVirtualisation": True,
        "enableCellTextSelection": True,
        "animateRows": False,
        "domLayout": "autoHeight",
        "localeText": locale_text(),
        "suppressDragLeaveHidesColumns": True,
    }
    if page_size is not None:
        grid_options |= {"pagination": True, "paginationPageSize": page_size, "paginationPageSizeSelector": False}
    grid_options |= options or {}
    return dag.AgGrid(
        id=id,
        columnDefs=columns,
        **({} if rows is None else {"rowData": rows}),  # none: the grid asks for its rows (infinite row model)
        defaultColDef={
            "sortable": sortable,
            "resizable": True,
            "minWidth": 80,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "suppressHeaderMenuButton": True,
            "suppressMovable": True,
        },
        dashGridOptions=grid_options,
        columnSize="responsiveSizeToFit",
        className="bb-grid",
        **({"getRowId": f"params.data.{row_id}"} if row_id else {}),
        **props,
    )
