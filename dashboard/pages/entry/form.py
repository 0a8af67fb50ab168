"""The data-entry form's logic, without Dash: numbers as people type them, what changed, errors back to cells.

The table holds text as the reporter typed it. Only rows that differ from what was
loaded are turned into a JSON batch for ``submit_batch``; the pipeline's errors,
which point into that batch (``body.observations.3.value``), come back to the
table's row and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from api.errors import ErrorItem
from api.models.observation import ESTIMATED, MAX_NOTE, PROVISIONAL, SUPPRESSION_MARKERS, ObservationIn, parse_breakdown

EDITABLE = ("value", "numerator", "denominator", "status", "note")
LABEL_COLUMN = "indicator_name"  # where errors about the row's key (indicator, area, period, breakdown) show
_FIELD = re.compile(r"^body\.observations\.(\d+)\.(\w+)")
_COLUMNS = {"value": "value", "suppressed": "value", "numerator": "numerator", "denominator": "denominator"}
_COLUMNS |= {"provisional": "status", "estimated": "status", "note": "note"}
FINAL = "final"  # the status of a value with neither flag (the table's dropdown needs a value for it)
_MARKS = {"nl": (",", "."), "de": (",", ".")}  # decimal mark, group mark; others: English


@dataclass(frozen=True)
class CellProblem:
    row: str  # the row's key
    column: str  # the table's column id
    code: str
    message: str


def parse_number(text: str, language: str) -> float:
    """A number as typed in ``language``: 12,5 and 1.234,5 in Dutch and German; 12.5 and 1,234.5 in English.

    The locale's own marks decide: a group mark with groups of three digits is a thousands
    separator (``1.234`` is 1234 in Dutch); a single mark otherwise is the decimal mark
    (``62.5`` is accepted in Dutch too). Raises ValueError for anything else.
    """
    decimal, group = _MARKS.get(language, (".", ","))
    body = re.sub(r"[\s\u00a0\u202f]", "", text)
    sign = ""
    if body[:1] in ("+", "-"):
        sign, body = body[0].replace("+", ""), body[1:]
    marks = [c for c in body if c in ".,"]
    if len(set(marks)) == 2:
        decimal = body[max(body.rfind("."), body.rfind(","))]
        group = "," if decimal == "." else "."
        whole, _, fraction = body.rpartition(decimal)
        if not re.fullmatch(rf"[1-9]\d{{0,2}}(\{group}\d{{3}})+", whole):
            raise ValueError(text)
        body = whole.replace(group, "") + "." + fraction
    elif marks:
        mark = marks[0]
        if mark == group and re.fullmatch(rf"[1-9]\d{{0,2}}(\{group}\d{{3}})+", body):
            body = body.replace(group, "")
        elif len(marks) == 1:
            body = body.replace(mark, ".")
        else:
            raise ValueError(text)
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", body):
        raise ValueError(text)
    number = float(sign + body)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def show_number(text: str | None, language: str) -> str:
    """A stored number (the template's text, decimal point) as the form shows it: ``62,5`` in Dutch and German."""
    if text is None:
        return ""
    decimal = _MARKS.get(language, (".", ","))[0]
    try:
        number = float(text)
    except ValueError:
        return text  # 'x': suppressed at source
    plain = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return plain.replace(".", decimal)


def is_marker(text: str) -> bool:
    """A suppression marker: x, ., -, * or <n (suppressed at source)."""
    lowered = text.strip().lower()
    return lowered in SUPPRESSION_MARKERS or bool(re.fullmatch(r"<\s*\d+", lowered))


def _status_tokens(text: str | None) -> list[str]:
    return [t for t in re.split(r"[\s|+,;/]+", (text or "").lower()) if t and t != FINAL]


def _comparable(row: dict, language: str) -> tuple:
    """A row's editable fields in a form where equal meanings compare equal (62,5 = 62,50)."""
    values: list[object] = []
    for name in ("value", "numerator", "denominator"):
        text = (row.get(name) or "").strip()
        try:
            values.append(parse_number(text, language) if text and not is_marker(text) else text.lower())
        except ValueError:
            values.append(text)
    values.append(frozenset(_status_tokens(row.get("status"))))
    values.append((row.get("note") or "").strip())
    return tuple(values)


def changed_rows(rows: Iterable[dict], original: dict[str, dict], language: str) -> list[dict]:
    """The rows whose editable fields differ from what was loaded (filled in, changed or emptied)."""
    return [
        row
        for row in rows
        if row.get("id") not in original or _comparable(row, language) != _comparable(original[row["id"]], language)
    ]


def observation_of(row: dict, language: str) -> tuple[ObservationIn | None, list[CellProblem]]:
    """The JSON item for a table row, or the problems that keep it from being one (text where a number goes)."""
    key, problems = row.get("id", ""), []
    item: dict[str, object] = {
        "indicator": row.get("indicator", ""),
        "area": row.get("area", ""),
        "period": row.get("period", ""),
        "breakdown": parse_breakdown(row.get("breakdown") or ""),
    }
    for name in ("value", "numerator", "denominator"):
        text = (row.get(name) or "").strip()
        if not text:
            continue
        if is_marker(text):
            if name == "value":
                item["suppressed"] = True
            continue  # the import reads a marker as numerator or denominator as empty, too
        try:
            item[name] = parse_number(text, language)
        except ValueError:
            problems.append(CellProblem(key, name, "not_a_number", f"'{text}' is not a number"))
    tokens = _status_tokens(row.get("status"))
    item["provisional"] = any(t in PROVISIONAL for t in tokens)
    item["estimated"] = any(t in ESTIMATED for t in tokens)
    if unknown := [t for t in tokens if t not in PROVISIONAL and t not in ESTIMATED]:
        problems.append(CellProblem(key, "status", "invalid_status", f"unknown status '{' '.join(unknown)}'"))
    note = (row.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        problems.append(CellProblem(key, "note", "too_long", f"the note is longer than {MAX_NOTE} characters"))
    item["note"] = note or None
    if problems:
        return None, problems
    try:
        return ObservationIn.model_validate(item), []
    except ValidationError as exc:
        return None, [
            CellProblem(key, _COLUMNS.get(str(e["loc"][0]), LABEL_COLUMN), str(e["type"]), str(e["msg"]))
            for e in exc.errors()
        ]


def batch_of(rows: Sequence[dict], language: str) -> tuple[list[ObservationIn], list[str], list[CellProblem]]:
    """The JSON items of the rows that convert, their rows' keys in the same order, and the problems of the others."""
    items, keys, problems = [], [], []
    for row in rows:
        item, found = observation_of(row, language)
        problems += found
        if item is not None:
            items.append(item)
            keys.append(row.get("id", ""))
    return items, keys, problems


def locate(errors: Iterable[ErrorItem], keys: Sequence[str]) -> tuple[list[CellProblem], list[ErrorItem]]:
    """The pipeline's errors on a batch as problems of table cells; errors that point at no item come back apart."""
    cells, general = [], []
    for error in errors:
        found = _FIELD.match(error.field or "")
        if found is None or int(found.group(1)) >= len(keys):
            general.append(error)
            continue
        column = _COLUMNS.get(found.group(2), LABEL_COLUMN)
        cells.append(CellProblem(keys[int(found.group(1))], column, error.code, error.message))
    return cells, general
