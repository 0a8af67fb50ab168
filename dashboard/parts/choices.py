"""A long list of areas to choose from, searched on the server: a country's thousands of municipalities
would be half a megabyte of options in every page that offers them.

A short list is sent whole, as the dropdown has always had it. A long one offers the areas above the
municipalities and the chosen ones, and once something is typed (the dropdown's ``search_value``)
the areas whose name has it; the dropdown then narrows them as usual.
"""

from __future__ import annotations

from collections.abc import Collection

MANY = 500  # more options than this are searched on the server
FOUND = 100  # options a search offers at most


def searched(options: list[dict], chosen: Collection[str], search: str | None, *, top: Collection[str]) -> list[dict]:
    """The options a dropdown gets: all of a short list; of a long one those in ``top`` (nothing typed) or with
    ``search`` in their label, and always the ``chosen`` ones."""
    if len(options) <= MANY:
        return options
    wanted = (search or "").strip().casefold()
    if wanted:
        shown = [o for o in options if wanted in str(o["label"]).casefold()][:FOUND]
    else:
        shown = [o for o in options if o["value"] in top]
    values = {o["value"] for o in shown}
    return shown + [o for o in options if o["value"] in chosen and o["value"] not in values]


def chosen_of(value: object) -> list[str]:
    """The chosen values of a dropdown (one, several or none), whatever a tampered request sends."""
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]
