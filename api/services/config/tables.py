"""The set-up as rows of text, one list per file, in a fixed order: what is exported, and what a load compares with.

Every value is the text the file holds: translations as one column per language, lists of codes
separated by spaces, numbers without trailing zeros, booleans as ``true``/``false``, nothing as
an empty cell. Rows are ordered so that an export of a database loaded from an export is the same,
byte for byte: parents before their children, then by code.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.models import (
    Agenda,
    Area,
    Assignment,
    Dimension,
    DimensionValue,
    Goal,
    Indicator,
    IndicatorDimension,
    Organisation,
    Signatory,
    Target,
    User,
)
from api.models.common import LANGUAGES, Translated, pk, stored_id
from api.services.imports import mappings

Row = dict[str, str]
Statement = Any  # a select of a file's columns (sqlmodel's typing has no name for one of any width)


def _translated(prefix: str) -> list[str]:
    return [f"{prefix}_{lang}" for lang in LANGUAGES]


# Each file's columns, in the order they are written; the files in the order they are loaded.
COLUMNS: dict[str, list[str]] = {
    "organisations.csv": ["code", "name", "type", "signed_on", "active"],
    "areas.csv": ["code", "name", "level", "parent", "active"],
    "agenda.csv": ["code", *_translated("name"), *_translated("vision"), *_translated("problem"), "start_date"],
    "goals.csv": ["code", "position", *_translated("title"), *_translated("description")],
    "dimensions.csv": [
        "dimension",
        *_translated("dimension_name"),
        "value",
        *_translated("value_name"),
        "position",
    ],
    "indicators.csv": [
        "code",
        "goal",
        "position",
        *_translated("name"),
        *_translated("definition"),
        "unit",
        "direction",
        "period_type",
        "aggregation",
        "dimensions",
        "suppression_threshold",
        "min_value",
        "max_value",
        "source",
        "owner",
        "published",
        "derivation",
        "derivation_group",
        "derived_from",
        "active",
    ],
    "assignments.csv": ["organisation", "indicator", "area"],
    "targets.csv": ["indicator", "area", "baseline_period", "baseline_value", "target_period", "target_value"],
    "users.csv": ["username", "full_name", "role", "organisation", "email", "language", "active"],
}
# What an empty cell of these columns means.
DEFAULTS = {"active": "true"}
# The columns a file must have; the others may be left out (an older file, a hand-made one).
REQUIRED: dict[str, list[str]] = {
    "organisations.csv": ["code", "name", "type"],
    "areas.csv": ["code", "name", "level"],
    "agenda.csv": ["code"],
    "goals.csv": ["code"],
    "dimensions.csv": ["dimension", "value"],
    "indicators.csv": ["code", "goal", "unit", "direction", "period_type", "aggregation"],
    "assignments.csv": ["organisation", "indicator", "area"],
    "targets.csv": ["indicator", "baseline_period", "baseline_value", "target_period", "target_value"],
    "users.csv": ["username", "role", "organisation"],
}


def text(value: Any) -> str:
    """A stored value as the file writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def texts(prefix: str, value: Translated | None) -> Row:
    return {f"{prefix}_{lang}": (getattr(value, lang) or "") if value else "" for lang in LANGUAGES}


def _organisations(session: Session) -> list[Row]:
    signed = {s.organisation_id: s.signed_on for s in session.exec(select(Signatory)).all()}
    return [
        {
            "code": o.code,
            "name": o.name,
            "type": text(o.type),
            "signed_on": text(signed.get(stored_id(o))),
            "active": text(o.active),
        }
        for o in session.exec(select(Organisation).order_by(col(Organisation.code))).all()
    ]


def _areas(session: Session) -> list[Row]:
    # As rows, not objects: a national alliance has a hundred thousand areas and schools.
    columns = (pk(Area.id), Area.code, Area.name, Area.level, Area.parent_id, Area.active)
    areas: list[Any] = list(session.exec(select(*columns)).all())  # type: ignore[call-overload]
    code = {a.id: a.code for a in areas}
    children: dict[int | None, list[Any]] = defaultdict(list)
    for area in areas:
        children[area.parent_id].append(area)
    rows: list[Row] = []
    level = sorted(children[None], key=lambda a: a.code)
    while level:  # breadth first: every parent before its children
        rows += [
            {
                "code": a.code,
                "name": a.name,
                "level": text(a.level),
                "parent": code.get(a.parent_id, ""),
                "active": text(a.active),
            }
            for a in level
        ]
        level = sorted((c for a in level for c in children[a.id]), key=lambda a: a.code)
    return rows


def _agenda(session: Session) -> list[Row]:
    return [
        {
            "code": a.code,
            **texts("name", a.name),
            **texts("vision", a.vision),
            **texts("problem", a.problem),
            "start_date": text(a.start_date),
        }
        for a in session.exec(select(Agenda).order_by(col(Agenda.id))).all()[:1]
    ]


def _goals(session: Session) -> list[Row]:
    return [
        {"code": g.code, "position": text(g.position), **texts("title", g.title), **texts("description", g.description)}
        for g in session.exec(select(Goal).order_by(col(Goal.position), col(Goal.code))).all()
    ]


def _dimensions(session: Session) -> list[Row]:
    rows: list[Row] = []
    for dimension in session.exec(select(Dimension).order_by(col(Dimension.code))).all():
        values = session.exec(
            select(DimensionValue)
            .where(DimensionValue.dimension_id == dimension.id)
            .order_by(col(DimensionValue.position), col(DimensionValue.id))
        ).all()
        rows += [
            {
                "dimension": dimension.code,
                **texts("dimension_name", dimension.name),
                "value": value.code,
                **texts("value_name", value.name),
                "position": str(position),
            }
            for position, value in enumerate(values, start=1)
        ]
    return rows


def _indicators(session: Session) -> list[Row]:
    codes = dict(session.exec(select(Indicator.id, Indicator.code)).all())
    goals = dict(session.exec(select(Goal.id, Goal.code)).all())
    organisations = dict(session.exec(select(Organisation.id, Organisation.code)).all())
    dimensions: dict[int, list[str]] = defaultdict(list)
    for indicator_id, code in session.exec(
        select(IndicatorDimension.indicator_id, Dimension.code)
        .join(Dimension, col(Dimension.id) == IndicatorDimension.dimension_id)
        .order_by(col(Dimension.code))
    ).all():
        dimensions[indicator_id].append(code)
    return [
        {
            "code": i.code,
            "goal": goals[i.goal_id],
            "position": text(i.position),
            **texts("name", i.name),
            **texts("definition", i.definition),
            "unit": text(i.unit),
            "direction": text(i.direction),
            "period_type": text(i.period_type),
            "aggregation": text(i.aggregation),
            "dimensions": " ".join(dimensions[i.id or 0]),
            "suppression_threshold": text(i.suppression_threshold),
            "min_value": text(i.min_value),
            "max_value": text(i.max_value),
            "source": text(i.source),
            "owner": organisations.get(i.owner_id, ""),
            "published": text(i.published),
            "derivation": text(i.derivation),
            "derivation_group": text(i.derivation_group),
            "derived_from": codes.get(i.derived_from_id, ""),
            "active": text(i.active),
        }
        # Sources before the indicators derived from them.
        for i in sorted(session.exec(select(Indicator)).all(), key=lambda i: (i.derived_from_id is not None, i.code))
    ]


def _area_listing() -> Statement:
    parent = aliased(Area)
    return select(  # type: ignore[call-overload]
        Area.code, Area.name, Area.level, func.coalesce(parent.code, ""), Area.active
    ).outerjoin(parent, col(parent.id) == Area.parent_id)


def _assignment_listing() -> Statement:
    return (
        select(Organisation.code, Indicator.code, Area.code)
        .select_from(Assignment)
        .join(Organisation, col(Organisation.id) == Assignment.organisation_id)
        .join(Indicator, col(Indicator.id) == Assignment.indicator_id)
        .join(Area, col(Area.id) == Assignment.area_id)
    )


def _target_listing() -> Statement:
    target_area = aliased(Area)
    return (
        select(  # type: ignore[call-overload]
            Indicator.code,
            func.coalesce(target_area.code, ""),
            Target.baseline_period,
            Target.baseline_value,
            Target.target_period,
            Target.target_value,
        )
        .join(Indicator, col(Indicator.id) == Target.indicator_id)
        .outerjoin(target_area, col(target_area.id) == Target.area_id)
    )


@dataclass(frozen=True)
class Listing:
    """A large kind's rows as one statement, its columns those of the file: found and paged in the database."""

    statement: Callable[[], Statement]
    order: tuple[str, ...]  # the columns a page is ordered by
    searched: tuple[str, ...]  # the columns ``find`` looks in


# The kinds that grow with the alliance (a national one has 168,000 areas and schools, 240,000 assignments).
LISTINGS: dict[str, Listing] = {
    "areas.csv": Listing(_area_listing, order=("code",), searched=("code", "name", "parent")),
    "assignments.csv": Listing(
        _assignment_listing, order=("organisation", "indicator", "area"), searched=("organisation", "indicator", "area")
    ),
    "targets.csv": Listing(
        _target_listing, order=("indicator", "area", "target_period"), searched=("indicator", "area")
    ),
}


def _listed(session: Session, name: str, statement: Statement) -> list[Row]:
    columns = COLUMNS[name]
    return [dict(zip(columns, map(text, row), strict=True)) for row in session.exec(statement).all()]


def _labelled(name: str) -> tuple[Statement, dict[str, Any]]:
    """The kind's statement and its columns by the file's names."""
    statement = LISTINGS[name].statement()
    return statement, dict(zip(COLUMNS[name], statement.selected_columns, strict=True))


def _sorted(name: str) -> Callable[[Session], list[Row]]:
    """A large kind's reader: every row, ordered here (the same bytes on every database, whatever its collation)."""

    def read(session: Session) -> list[Row]:
        order = LISTINGS[name].order
        return sorted(_listed(session, name, LISTINGS[name].statement()), key=lambda r: [r[c] for c in order])

    return read


def _users(session: Session) -> list[Row]:
    rows = session.exec(
        select(User, Organisation.code)
        .join(Organisation, col(Organisation.id) == User.organisation_id)
        .order_by(col(User.username))
    ).all()
    return [
        {
            "username": u.username,
            "full_name": u.full_name,
            "role": text(u.role),
            "organisation": organisation,
            "email": text(u.email),
            "language": text(u.language),
            "active": text(u.is_active),
        }
        for u, organisation in rows
    ]


READERS: dict[str, Callable[[Session], list[Row]]] = {
    "organisations.csv": _organisations,
    "areas.csv": _areas,
    "agenda.csv": _agenda,
    "goals.csv": _goals,
    "dimensions.csv": _dimensions,
    "indicators.csv": _indicators,
    "assignments.csv": _sorted("assignments.csv"),
    "targets.csv": _sorted("targets.csv"),
    "users.csv": _users,
}


def window(
    session: Session,
    name: str,
    *,
    find: str = "",
    where: Mapping[str, Collection[str]] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[int, list[Row]]:
    """The kind's rows with ``find`` in them (any case) and a value of ``where``'s in each of its columns: how
    many in all, and ``limit`` of them from ``offset`` on.

    A large kind (``LISTINGS``) is found (in its codes and names), counted and paged in the database, in
    the order of its key; the others are read whole, found in any column and kept in the file's order.
    """
    find = find.strip()
    if name not in LISTINGS:
        wanted = find.casefold()
        rows = [
            row
            for row in READERS[name](session)
            if (not wanted or any(wanted in value.casefold() for value in row.values()))
            and all(row[c] in values for c, values in (where or {}).items())
        ]
        return len(rows), rows[offset : None if limit is None else offset + limit]
    statement, column = _labelled(name)
    if find:
        statement = statement.where(or_(*(column[c].icontains(find, autoescape=True) for c in LISTINGS[name].searched)))
    for c, values in (where or {}).items():
        statement = statement.where(column[c].in_(list(values)))
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    page = statement.order_by(*(column[c] for c in LISTINGS[name].order)).offset(offset).limit(limit)
    return total, _listed(session, name, page)


def levels(session: Session) -> list[str]:
    """The levels the areas have, in order."""
    return sorted(text(level) for level in session.exec(select(Area.level).distinct()).all())


def to_csv(name: str, rows: list[Row]) -> bytes:
    """One file: UTF-8, a header, commas, ``\\n`` line ends, quotes only where needed (as ``seed_data/``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[name], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def export(session: Session) -> dict[str, bytes]:
    """The whole set-up: file name -> the file's bytes (users without any secret; mappings as mappings/<code>.json)."""
    files = {name: to_csv(name, read(session)) for name, read in READERS.items()}
    for document in mappings.all_mappings(session=session):
        files[f"mappings/{document.code}.json"] = mappings.document_json(document)
    return files


def export_zip(session: Session) -> bytes:
    """The whole set-up as one zip of CSV files (a fixed date inside, so the same set-up gives the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in export(session).items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
