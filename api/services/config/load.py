"""Loading the set-up files: every row through the same service as the API, all or nothing.

Rows are matched to what exists by their key (a code; for assignments the organisation,
indicator and area; for targets the indicator, area and target period): new ones are created,
different ones updated, the same ones left. Nothing is deleted: a row missing from a file stays
as it is. Every problem is collected (file, row as a spreadsheet counts it, column, message)
and, if there is any, nothing is written; a dry run counts and then rolls everything back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.config import Settings
from api.errors import BackboneError, ErrorItem, Invalid, TooLarge
from api.ingest.files import cell_text
from api.ingest.spool import XLSX_MAGIC
from api.models import Area, Dimension, Goal, Indicator, Organisation, Target
from api.models.agenda import AgendaPut, AgendaUpdate, SignatoryIn
from api.models.area import AreaCreate, AreaUpdate
from api.models.assignment import AssignmentCreate
from api.models.common import LANGUAGES, Channel, Role, pk
from api.models.config import ConfigLoaded, KindCount, UserInvitation
from api.models.dimension import DimensionCreate, DimensionUpdate
from api.models.goal import GoalCreate, GoalUpdate
from api.models.indicator import IndicatorCreate, IndicatorUpdate
from api.models.organisation import OrganisationCreate, OrganisationUpdate
from api.models.target import TargetCreate, TargetUpdate
from api.models.user import UserCreate, UserUpdate
from api.services.accounts import auth, users
from api.services.accounts.auth import Principal
from api.services.common import one_change
from api.services.config.tables import COLUMNS, DEFAULTS, LISTINGS, READERS, REQUIRED, Row, text, window
from api.services.imports import mappings as source_mappings
from api.services.metadata import agenda, areas, assignments, dimensions, goals, indicators, organisations, targets
from indicators import periods

Files = dict[str, list[tuple[int, Row]]]  # file name -> (row number, row)
MAX_FILES = 100
FEW = 1000  # rows of a large kind loaded at once that are compared with the stored rows they name only
# Source mappings are documents, one per file in the folder mappings/: as rows of (file, text) under this name.
MAPPINGS = "mappings"
MAPPING_SUFFIXES = (".json", ".yaml", ".yml")


NUMBERS = {"position", "suppression_threshold", "min_value", "max_value", "baseline_value", "target_value"}
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def read_table(name: str, data: bytes) -> list[tuple[int, Row]]:
    """A file's rows by their row number (the header is row 1), checked for its encoding and columns.

    The file is CSV as exported (commas), as Dutch and German spreadsheets save it (semicolons,
    decimal commas), cells copied from a spreadsheet (tabs, decimal commas), or an XLSX workbook
    (its first sheet).
    """
    if data.startswith(XLSX_MAGIC):
        return _rows(name, _sheet(name, data), decimal_comma=False)
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _rejected(name, None, None, "not_utf8", f"The file is not UTF-8 text (byte {exc.start})") from None
    first = content.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") else ","
    return _rows(
        name, csv.reader(io.StringIO(content, newline=""), delimiter=delimiter), decimal_comma=delimiter != ","
    )


def _sheet(name: str, data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise _rejected(name, None, None, "unreadable_file", f"The file cannot be read as XLSX: {exc}") from None
    try:
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            yield [cell_text(v) or "" for v in values]
    finally:
        workbook.close()


def _rows(name: str, reader: Iterator[list[str]], *, decimal_comma: bool) -> list[tuple[int, Row]]:
    header = [h.strip() for h in next(reader, [])]
    while header and not header[-1]:  # empty columns at the end, as spreadsheets save them
        header.pop()
    problems = [
        ErrorItem(code="missing_column", message=f"The column '{c}' is missing", file=name, row=1, column=c)
        for c in REQUIRED[name]
        if c not in header
    ] + [
        ErrorItem(
            code="unknown_column",
            message=f"Unknown column '{c}'; the columns are: {', '.join(COLUMNS[name])}",
            file=name,
            row=1,
            column=c,
        )
        for c in header
        if c and c not in COLUMNS[name]  # a column without a name is ignored while its cells are empty
    ]
    if problems:
        raise Invalid(f"{name}: the header is not right", code="config_rejected", errors=problems)
    unnamed = [index for index, column in enumerate(header) if not column]
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if any(v.strip() for v in values[len(header) :]):
            raise _rejected(name, number, None, "too_many_values", f"{len(values)} values for {len(header)} columns")
        for index in unnamed:
            if index < len(values) and values[index].strip():
                message = (
                    f"column {index + 1} has no name but row {number} has a value in it: '{values[index].strip()}'"
                )
                raise _rejected(name, number, f"column {index + 1}", "value_in_unnamed_column", message)
        row = dict.fromkeys(COLUMNS[name], "")
        row.update({column: value.strip() for column, value in zip(header, values, strict=False) if column})
        if decimal_comma:
            row.update({c: row[c].replace(",", ".") for c in NUMBERS & row.keys() if DECIMAL_COMMA.match(row[c])})
        rows.append((number, row))
    return rows


def _rejected(file: str, row: int | None, column: str | None, code: str, message: str) -> Invalid:
    item = ErrorItem(code=code, message=message, file=file, row=row, column=column)
    return Invalid(f"{file}: {message}", code="config_rejected", errors=[item])


def read_zip(source: Path | bytes, *, max_bytes: int) -> Files:
    """The set-up files in a zip (at its top level or in one folder); other files are left alone."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except zipfile.BadZipFile:
        raise _rejected("config.zip", None, None, "not_a_zip", "The upload is not a zip file") from None
    entries = [e for e in archive.infolist() if not e.is_dir()]
    if len(entries) > MAX_FILES or sum(e.file_size for e in entries) > max_bytes:
        raise TooLarge(f"The zip holds more than {MAX_FILES} files or {max_bytes} bytes unpacked")
    found: dict[str, bytes] = {}
    for entry in entries:
        path = PurePosixPath(entry.filename)
        name = f"{MAPPINGS}/{path.name}" if _mapping_file(path) else path.name
        if name in COLUMNS or name.startswith(f"{MAPPINGS}/"):
            if name in found:
                raise _rejected(name, None, None, "duplicate_file", "The zip holds this file twice")
            found[name] = archive.read(entry)
    return read_files(found)


def _mapping_file(path: PurePosixPath) -> bool:
    return path.parent.name == MAPPINGS and path.suffix.lower() in MAPPING_SUFFIXES


def read_files(found: dict[str, bytes]) -> Files:
    """Files by name (a directory's; ``mappings/<code>.yaml`` a mapping): the set-up ones read, others left alone."""
    files = {name: read_table(name, data) for name, data in found.items() if name in COLUMNS}
    documents = [(name, data) for name, data in sorted(found.items()) if _mapping_file(PurePosixPath(name))]
    if documents:
        files[MAPPINGS] = [
            (0, {"file": f"{MAPPINGS}/{PurePosixPath(name).name}", "text": data.decode("utf-8", errors="replace")})
            for name, data in documents
        ]
    return files


def read_directory(directory: Path) -> Files:
    """A directory's set-up files: the CSV files in it, and the mappings in its ``mappings`` folder."""
    found = {path.name: path.read_bytes() for path in sorted(directory.glob("*.csv"))}
    found |= {f"{MAPPINGS}/{path.name}": path.read_bytes() for path in sorted((directory / MAPPINGS).glob("*"))}
    return read_files(found)


class _Loader:
    def __init__(
        self,
        session: Session,
        actor: Principal | None,
        settings: Settings,
        base_url: str,
        files: Files,
        *,
        demo_passwords: bool,
    ) -> None:
        self.session, self.actor, self.settings, self.base_url = session, actor, settings, base_url
        self.files = files
        self.signed: dict[str, str] = {}  # organisation -> the day it signed the agenda (organisations.csv)
        self.demo_passwords = demo_passwords
        self.errors: list[ErrorItem] = []
        self.counts: dict[str, KindCount] = {}
        self.invitations: list[UserInvitation] = []
        self.known: dict[str, set[str]] = {
            kind: set(session.exec(select(col(model.code))).all())
            for kind, model in (
                ("organisation", Organisation),
                ("area", Area),
                ("goal", Goal),
                ("dimension", Dimension),
                ("indicator", Indicator),
            )
        }
        self.file = ""

    # --- bookkeeping ---------------------------------------------------------------------------

    def problem(self, row: int | None, column: str | None, code: str, message: str) -> None:
        self.errors.append(ErrorItem(code=code, message=message, file=self.file, row=row, column=column))

    def count(self, outcome: str) -> None:
        kind = self.counts.setdefault(self.file.removesuffix(".csv"), KindCount())
        setattr(kind, outcome, getattr(kind, outcome) + 1)

    @contextmanager
    def row(self, number: int) -> Iterator[None]:
        """Problems of one row: a model that does not validate (at its columns), a service that refuses."""
        try:
            yield
        except ValidationError as exc:
            for error in exc.errors():
                self.problem(number, self._column(error["loc"]), "invalid_value", error["msg"])
        except BackboneError as exc:
            for item in exc.errors:
                self.problem(
                    number, item.column or self._column((item.field,) if item.field else ()), item.code, item.message
                )

    def _column(self, loc: tuple[Any, ...]) -> str | None:
        columns = COLUMNS[self.file]
        path = "_".join(str(part) for part in loc)
        renamed = {"display_name": "full_name", "values": "value"}
        for name in (path, renamed.get(path, ""), f"{path}_en", str(loc[0]) if loc else ""):
            if name in columns:
                return name
        return next((c for c in columns if loc and c.startswith(f"{loc[0]}_")), None)

    def refer(self, number: int, row: Row, references: list[tuple[str, str]]) -> bool:
        """Whether the codes in these (column, kind) cells name existing or just loaded rows; a problem at each if not.

        A cell may hold several codes separated by spaces (an indicator's dimensions).
        """
        unknown = [(column, kind, code) for column, kind in references for code in row[column].split()]
        unknown = [(column, kind, code) for column, kind, code in unknown if code not in self.known[kind]]
        for column, kind, code in unknown:
            self.problem(number, column, "unknown_code", f"No {kind} with code '{code}'")
        return not unknown

    def same(self, row: Row, current: Row | None, columns: list[str]) -> bool:
        return current is not None and all(_equal(row[c], current[c]) for c in columns)

    def outcome(
        self, number: int, row: Row, current: Row | None, columns: list[str], change: Callable[[], Any]
    ) -> None:
        """Leave the row as it is stored, or make the change."""
        if self.same(row, current, columns):
            self.count("unchanged")
        else:
            self.apply(number, current is not None, change)

    def apply(self, number: int, existed: bool, change: Callable[[], Any]) -> None:
        """Make one row's change; count it as updated or created unless it was refused."""
        errors = len(self.errors)
        with self.row(number):
            change()
        if len(self.errors) == errors:
            self.count("updated" if existed else "created")

    def current(
        self, name: str, *key: str, rows: list[tuple[int, Row]] | None = None, by: tuple[str, ...] = ()
    ) -> dict[Any, Row]:
        """The stored rows by their key. Given the ``rows`` loaded (a few of a large kind: a paste, a grid's
        changes), only the stored rows sharing their values of ``by`` (the key) are read, not all 168,000 areas."""
        if rows is not None and len(rows) <= FEW and name in LISTINGS:
            where = {column: {row[column] for _number, row in rows} for column in by or key}
            stored = window(self.session, name, where=where)[1]
        else:
            stored = READERS[name](self.session)
        return {tuple(r[k] for k in key) if len(key) > 1 else r[key[0]]: r for r in stored}

    # --- the kinds, in the order they depend on each other -------------------------------------

    def organisations(self, rows: list[tuple[int, Row]]) -> None:
        current = self.current("organisations.csv", "code")
        for number, row in rows:
            code = row["code"]
            fields = {"name": row["name"], "type": row["type"], "active": row["active"]}
            if row["signed_on"]:
                try:
                    self.signed[code] = dt.date.fromisoformat(row["signed_on"]).isoformat()
                except ValueError:
                    self.problem(number, "signed_on", "invalid_date", "Give the date as YYYY-MM-DD, e.g. 2021-09-01")

            def change(code: str = code, fields: dict[str, str] = fields) -> None:
                if code in current:
                    data = OrganisationUpdate.model_validate(fields)
                    organisations.update_organisation(session=self.session, actor=self.actor, code=code, data=data)
                else:
                    made = OrganisationCreate.model_validate({**fields, "code": code})
                    organisations.create_organisation(session=self.session, actor=self.actor, data=made)

            self.outcome(number, row, current.get(code), ["name", "type", "signed_on", "active"], change)
            self.known["organisation"].add(code)

    def areas(self, rows: list[tuple[int, Row]]) -> None:
        current = self.current("areas.csv", "code", rows=rows)
        waiting = list(rows)
        while waiting:  # a parent may come after its children in the file
            ready = [(n, r) for n, r in waiting if not r["parent"] or r["parent"] in self.known["area"]]
            if not ready:
                break
            waiting = [item for item in waiting if item not in ready]
            for number, row in ready:
                code, parent = row["code"], row["parent"] or None

                def change(code: str = code, row: Row = row, parent: str | None = parent) -> None:
                    if code in current:
                        wanted = {"name": row["name"], "level": row["level"], "parent": parent, "active": row["active"]}
                        data = AreaUpdate.model_validate(wanted)
                        areas.update_area(session=self.session, actor=self.actor, code=code, data=data)
                    else:
                        made = AreaCreate.model_validate(dict(row, parent=parent))
                        areas.create_area(session=self.session, actor=self.actor, data=made)
                        self.session.flush()

                self.outcome(number, row, current.get(code), ["name", "level", "parent", "active"], change)
                self.known["area"].add(code)
        for number, row in waiting:
            self.refer(number, row, [("parent", "area")])

    def agenda(self, rows: list[tuple[int, Row]]) -> None:
        """The agenda (one row), signed by the organisations with a date in ``organisations.csv``."""
        signed = self.signed if "organisations.csv" in self.files else None
        existing = next(iter(self.current("agenda.csv", "code").values()), None)
        if len(rows) > 1:
            self.problem(rows[1][0], None, "one_agenda", "An alliance has one agenda: give one row")
            return
        before = {c: r["signed_on"] for c, r in self.current("organisations.csv", "code").items() if r["signed_on"]}
        signed = before if signed is None else signed
        signatories = [SignatoryIn.model_validate({"organisation": c, "signed_on": day}) for c, day in signed.items()]
        if not rows:  # only new signing dates
            if signed == before:
                return
            if existing is None:
                self.file = "organisations.csv"
                self.problem(None, "signed_on", "no_agenda", "There is no agenda to sign: add agenda.csv")
                return
            with self.row(0):
                data = AgendaUpdate(signatories=signatories)
                agenda.update_agenda(session=self.session, actor=self.actor, data=data)
            return
        number, row = rows[0]
        if self.same(row, existing, COLUMNS["agenda.csv"]) and signed == before:
            self.count("unchanged")
            return

        def change() -> None:
            data = AgendaPut.model_validate(
                {
                    "code": row["code"],
                    "name": _translated(row, "name"),
                    "vision": _translated(row, "vision"),
                    "problem": _translated(row, "problem"),
                    "start_date": row["start_date"] or None,
                    "signatories": signatories,
                }
            )
            agenda.put_agenda(session=self.session, actor=self.actor, data=data)

        self.apply(number, existing is not None, change)

    def goals(self, rows: list[tuple[int, Row]]) -> None:
        current = self.current("goals.csv", "code")
        for number, row in rows:
            code = row["code"]
            fields = {
                "position": row["position"] or 0,
                "title": _translated(row, "title"),
                "description": _translated(row, "description"),
            }

            def change(code: str = code, fields: dict[str, Any] = fields) -> None:
                if code in current:
                    goals.update_goal(session=self.session, actor=self.actor, code=code, data=GoalUpdate(**fields))
                else:
                    goals.create_goal(session=self.session, actor=self.actor, data=GoalCreate(code=code, **fields))

            self.outcome(number, row, current.get(code), COLUMNS["goals.csv"], change)
            self.known["goal"].add(code)

    def dimensions(self, rows: list[tuple[int, Row]]) -> None:
        current: dict[str, list[Row]] = {}
        for r in READERS["dimensions.csv"](self.session):
            current.setdefault(r["dimension"], []).append(r)
        groups: dict[str, list[tuple[int, Row]]] = {}
        for number, row in rows:
            groups.setdefault(row["dimension"], []).append((number, row))
        for code, group in groups.items():
            number, first = group[0]
            ordered = sorted(group, key=lambda item: (_int(item[1]["position"]), item[0]))
            values = [{"code": r["value"], "name": _translated(r, "value_name")} for _, r in ordered]
            name = _translated(first, "dimension_name")
            wanted = [dict(r, position=str(i)) for i, (_, r) in enumerate(ordered, start=1)]
            before = current.get(code)
            if (
                before is not None
                and len(before) == len(wanted)
                and all(self.same(w, b, COLUMNS["dimensions.csv"]) for w, b in zip(wanted, before, strict=True))
            ):
                self.count("unchanged")
            else:

                def change(code: str = code, name: Any = name, values: list[dict[str, Any]] = values) -> None:
                    if code in current:
                        data = DimensionUpdate.model_validate({"name": name, "values": values})
                        dimensions.update_dimension(session=self.session, actor=self.actor, code=code, data=data)
                    else:
                        made = DimensionCreate.model_validate({"code": code, "name": name, "values": values})
                        dimensions.create_dimension(session=self.session, actor=self.actor, data=made)

                self.apply(number, code in current, change)
            self.known["dimension"].add(code)

    FIXED = ("period_type", "derivation", "derivation_group", "derived_from")  # fixed once an indicator is made

    def indicators(self, rows: list[tuple[int, Row]]) -> None:
        current = self.current("indicators.csv", "code")
        # Count indicators before those derived from them.
        for number, row in sorted(rows, key=lambda item: bool(item[1]["derived_from"])):
            code = row["code"]
            refs = [
                ("goal", "goal"),
                ("owner", "organisation"),
                ("dimensions", "dimension"),
                ("derived_from", "indicator"),
            ]
            if not self.refer(number, row, refs):
                continue
            before = current.get(code)
            if before is not None:
                moved = [c for c in self.FIXED if not _equal(row[c], before[c])]
                for column in moved:
                    self.problem(number, column, "fixed", f"'{column}' cannot change once the indicator exists")
                if moved:
                    continue

            def change(code: str = code, row: Row = row) -> None:
                given = ("unit", "direction", "period_type", "aggregation", "derivation", "derivation_group")
                made = IndicatorCreate.model_validate(
                    {
                        "code": code,
                        "goal": row["goal"],
                        "owner": row["owner"] or None,
                        "dimensions": row["dimensions"].split(),
                        "derived_from": row["derived_from"] or None,
                        "name": _translated(row, "name"),
                        "definition": _translated(row, "definition"),
                        "min_value": row["min_value"] or None,
                        "max_value": row["max_value"] or None,
                        "source": row["source"] or None,
                        # Left empty: the default (no derivation, published, position 0, no suppression).
                        **{
                            c: row[c]
                            for c in (*given, "suppression_threshold", "published", "position", "active")
                            if row[c]
                        },
                    }
                )
                if code not in current:
                    indicators.create_indicator(session=self.session, actor=self.actor, data=made)
                    return
                fields = set(IndicatorUpdate.model_fields)
                data = IndicatorUpdate(**{name: getattr(made, name) for name in fields})
                indicators.update_indicator(session=self.session, actor=self.actor, code=code, data=data)

            self.outcome(number, row, before, COLUMNS["indicators.csv"], change)
            self.known["indicator"].add(code)

    def assignments(self, rows: list[tuple[int, Row]]) -> None:
        key = ("organisation", "indicator", "area")
        current = self.current("assignments.csv", *key, rows=rows)
        for number, row in rows:
            if not self.refer(number, row, [(c, c) for c in key]):
                continue
            data = AssignmentCreate(**{c: row[c] for c in key})

            def change(data: AssignmentCreate = data) -> None:
                assignments.create_assignment(session=self.session, actor=self.actor, data=data)

            self.outcome(number, row, current.get(tuple(row[c] for c in key)), list(key), change)

    def targets(self, rows: list[tuple[int, Row]]) -> None:
        # By indicator and area: the period is compared as normalised below.
        current = self.current("targets.csv", "indicator", "area", "target_period", rows=rows, by=("indicator", "area"))
        period_types = dict(self.session.exec(select(Indicator.code, Indicator.period_type)).all())
        ids = {
            (indicator, area or "", period): target_id
            for target_id, indicator, area, period in self.session.exec(
                select(pk(Target.id), Indicator.code, Area.code, Target.target_period)
                .join(Indicator, col(Indicator.id) == Target.indicator_id)
                .outerjoin(Area, col(Area.id) == Target.area_id)
            ).all()
        }
        for number, row in rows:
            if not self.refer(number, row, [("indicator", "indicator"), ("area", "area")]):
                continue
            normal = dict(row)
            errors = len(self.errors)
            for column in ("baseline_period", "target_period"):
                try:
                    normal[column] = periods.normalize(row[column], period_types[row["indicator"]])
                except periods.PeriodError as exc:
                    self.problem(number, column, "invalid_period", str(exc))
            if len(self.errors) > errors:
                continue
            key = (row["indicator"], row["area"], normal["target_period"])
            fields = {c: row[c] for c in ("baseline_period", "baseline_value", "target_period", "target_value")}

            def change(key: tuple[str, str, str] = key, fields: dict[str, Any] = fields, row: Row = row) -> None:
                if (target_id := ids.get(key)) is not None:
                    data = TargetUpdate(**fields)
                    targets.update_target(session=self.session, actor=self.actor, target_id=target_id, data=data)
                else:
                    made = TargetCreate(indicator=row["indicator"], area=row["area"] or None, **fields)
                    targets.create_target(session=self.session, actor=self.actor, data=made)

            self.outcome(number, normal, current.get(key), COLUMNS["targets.csv"], change)

    def users(self, rows: list[tuple[int, Row]]) -> None:
        current = self.current("users.csv", "username")
        for number, row in rows:
            if not self.refer(number, row, [("organisation", "organisation")]):
                continue
            username = row["username"].lower()
            wanted = {
                "display_name": row["full_name"],
                "email": row["email"] or None,
                "language": row["language"] or "en",
                "role": row["role"],
                "organisation": row["organisation"],
            }
            active = row["active"].lower() not in ("false", "0", "no")
            compared = {**row, "username": username, "language": str(wanted["language"]), "active": text(active)}

            def change(username: str = username, wanted: dict[str, Any] = wanted, active: bool = active) -> None:
                if username in current:
                    data = UserUpdate.model_validate({**wanted, "active": active})
                    users.update_user(session=self.session, actor=self.actor, username=username, data=data)
                    return
                made = UserCreate.model_validate({**wanted, "username": username})
                if self.demo_passwords:  # the demo's well-known passwords, demo-<username>
                    user = auth.create_user(
                        session=self.session,
                        username=made.username,
                        password=f"demo-{made.username}",
                        role=Role(made.role),
                        organisation=made.organisation,
                        full_name=made.display_name,
                        check_password=False,
                    )
                    user.email, user.language = made.email, made.language
                    self.session.add(user)
                else:
                    invited = users.create_user(
                        session=self.session,
                        actor=self.actor,
                        data=made,
                        settings=self.settings,
                        base_url=self.base_url,
                    )
                    self.invitations.append(UserInvitation(username=username, **invited.invitation.model_dump()))
                if not active:
                    users.update_user(
                        session=self.session, actor=self.actor, username=username, data=UserUpdate(active=False)
                    )

            self.outcome(number, compared, current.get(username), COLUMNS["users.csv"], change)

    def mappings(self, rows: list[tuple[int, Row]]) -> None:
        """Each document in mappings/: checked whole, then created, replaced or left as it is."""
        seen: dict[str, str] = {}
        for _, row in rows:
            self.file = row["file"]
            try:
                document = source_mappings.parse_document(row["text"], name=row["file"])
                if document.code in seen:
                    self.problem(
                        None, "code", "duplicate_code", f"'{document.code}' is also the code of {seen[document.code]}"
                    )
                    continue
                seen[document.code] = row["file"]
                outcome = source_mappings.save_mapping(session=self.session, actor=self.actor, document=document)
            except BackboneError as exc:
                for item in exc.errors or [ErrorItem(code=exc.code, message=exc.message)]:
                    self.problem(None, item.field, item.code, item.message)
                continue
            kind = self.counts.setdefault(MAPPINGS, KindCount())
            setattr(kind, outcome, getattr(kind, outcome) + 1)


def _with_defaults(row: Row) -> Row:
    """What an empty cell means, filled in (``active``: true)."""
    return {**row, **{c: default for c, default in DEFAULTS.items() if c in row and not row[c]}}


def _equal(given: str, stored: str) -> bool:
    if given == stored:
        return True
    try:
        return float(given) == float(stored)
    except ValueError:
        return given.lower() == stored.lower() and given.lower() in ("true", "false")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _translated(row: Row, prefix: str) -> dict[str, str] | None:
    texts = {lang: row[f"{prefix}_{lang}"] for lang in LANGUAGES if row.get(f"{prefix}_{lang}")}
    return texts or None


def load(
    *,
    session: Session,
    actor: Principal | None,
    files: Files,
    settings: Settings,
    base_url: str,
    dry_run: bool,
    channel: Channel,
    demo_passwords: bool = False,
) -> ConfigLoaded:
    """Load the files; 422 with every problem and nothing written, else what was (or would be) done.

    A dry run rolls the session back at the end: call it in a transaction of its own.
    """
    files = {
        name: [(n, row if name == MAPPINGS else _with_defaults(row)) for n, row in rows] for name, rows in files.items()
    }
    loader = _Loader(session, actor, settings, base_url, files, demo_passwords=demo_passwords)
    steps: list[tuple[str, Callable[[list[tuple[int, Row]]], None]]] = [
        ("organisations.csv", loader.organisations),
        ("areas.csv", loader.areas),
        ("agenda.csv", loader.agenda),
        ("goals.csv", loader.goals),
        ("dimensions.csv", loader.dimensions),
        ("indicators.csv", loader.indicators),
        ("assignments.csv", loader.assignments),
        ("targets.csv", loader.targets),
        ("users.csv", loader.users),
        (MAPPINGS, loader.mappings),
    ]
    with one_change(session, actor, f"set-up loaded: {', '.join(sorted(files))}", channel=channel):
        for name, step in steps:
            if name in files or (name == "agenda.csv" and "organisations.csv" in files):
                loader.file = name
                step(files.get(name, []))
                session.flush()
    if loader.errors:
        session.rollback()
        count = len(loader.errors)
        raise Invalid(
            f"The set-up was not loaded: {count} problem{'s' if count != 1 else ''}",
            code="config_rejected",
            errors=loader.errors[: settings.max_error_count],
            error_count=count,
        )
    if dry_run:
        session.rollback()
    return ConfigLoaded(
        dry_run=dry_run,
        files=sorted(files),
        kinds={name.removesuffix(".csv"): loader.counts.get(name.removesuffix(".csv"), KindCount()) for name in files},
        invitations=[] if dry_run else loader.invitations,
    )
