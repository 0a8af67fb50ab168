"""Source mappings: kept, checked and listed here; applied by ``batches.import_file`` (``api/ingest/mapping``).

A mapping arrives as JSON or YAML (``parse_document``), is checked as a whole before it is saved
(``check_document``: its patterns compile in RE2, the groups its rules name exist, its measures are
value, numerator or denominator, its breakdowns are the alliance's dimensions), and every problem
comes back with the path of the rule in the document.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import yaml  # type: ignore[import-untyped]
from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.errors import Conflict, ErrorItem, Invalid, TooLarge
from api.ingest.mapping import mapped_rows, stage_mapped
from api.ingest.spool import SpooledFile
from api.models import Dimension, SourceMapping
from api.models.common import Channel, Page, utcnow
from api.models.mapping import MAX_DOCUMENT_BYTES, MEASURES, FieldRule, MappedRow, MappingDocument, MappingSummary
from api.services.accounts.auth import Principal
from api.services.common import get_by_code, page_of, record_change


def _invalid(errors: list[ErrorItem], prefix: str = "The mapping") -> Invalid:
    noun = "problem" if len(errors) == 1 else "problems"
    return Invalid(f"{prefix} has {len(errors)} {noun}", errors=errors, code="invalid_mapping")


def parse_document(data: bytes | str, *, name: str = "") -> MappingDocument:
    """A mapping from the text of a JSON or YAML document; 422 with the path of every problem."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise TooLarge(f"A mapping is at most {MAX_DOCUMENT_BYTES // 1024} KB", code="mapping_too_large")
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    try:
        if name.lower().endswith((".yaml", ".yml")) or not text.lstrip().startswith("{"):
            raw = yaml.safe_load(text)  # plain data only: no tags that build objects
        else:
            raw = json.loads(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise _invalid([ErrorItem(code="unreadable_mapping", message=str(exc).splitlines()[0])]) from exc
    return validate_document(raw)


def validate_document(raw: object) -> MappingDocument:
    """The document's structure and its content (see ``check_document``), with paths into it."""
    try:
        document = MappingDocument.model_validate(raw)
    except ValidationError as exc:
        raise _invalid(
            [
                ErrorItem(code=str(e["type"]), message=e["msg"], field=".".join(str(p) for p in e["loc"]) or None)
                for e in exc.errors()
            ]
        ) from exc
    check_document(document)
    return document


def _patterns(document: MappingDocument) -> list[tuple[str, str]]:
    found = [(f"measures.{i}.columns", m.columns) for i, m in enumerate(document.measures)]
    found += [(f"{path}.extract", rule.extract) for path, rule in _rules(document).items() if rule.extract]
    found += [(f"skip.{i}.matches", s.matches) for i, s in enumerate(document.skip) if s.matches]
    return found


def _rules(document: MappingDocument) -> dict[str, FieldRule]:
    return {**document.fields(), **{f"measures.{i}.measure": m.measure for i, m in enumerate(document.measures)}}


def check_document(document: MappingDocument) -> None:
    """422 with every problem a mapping has in itself, whatever file it meets."""
    problems: list[ErrorItem] = []
    engine = duckdb.connect()
    try:
        for path, pattern in _patterns(document):
            try:
                engine.execute("SELECT regexp_matches('', ?)", [pattern])
            except duckdb.Error as exc:
                message = str(exc).split("Error: ", 1)[-1]
                problems.append(
                    ErrorItem(code="invalid_pattern", message=f"not a regular expression: {message}", field=path)
                )
    finally:
        engine.close()
    # A key's group must be in every measure pattern (each measure column gives it); a measure's, in its own.
    needs = [(path, rule, list(enumerate(document.measures))) for path, rule in document.fields().items()]
    needs += [(f"measures.{i}.measure", m.measure, [(i, m)]) for i, m in enumerate(document.measures)]
    problems.extend(
        ErrorItem(
            code="unknown_group",
            message=f"measures.{i}.columns has no group '{rule.group}' (its groups: {', '.join(m.groups()) or 'none'})",
            field=f"{path}.group",
        )
        for path, rule, measures in needs
        if rule.group
        for i, m in measures
        if rule.group not in m.groups()
    )
    for i, measure in enumerate(document.measures):
        rule, path = measure.measure, f"measures.{i}.measure"
        given = [rule.value] if rule.value is not None else [v for v in (rule.map or {}).values() if v is not None]
        problems.extend(
            ErrorItem(code="invalid_measure", message=f"'{v}' is none of {', '.join(MEASURES)}", field=path)
            for v in given
            if v not in MEASURES
        )
    # A key comes from the column a cell is in (groups) or from its row (the file's columns), not from both.
    groups = {g for m in document.measures for g in m.groups()}
    for path, rule in _rules(document).items():
        named = set(rule.placeholders()) - {"value"}
        if (rule.group is not None or named & groups) and (rule.column is not None or named - groups):
            message = "a key is made of the header's groups or of the file's columns, not both"
            problems.append(ErrorItem(code="mixed_template", message=message, field=f"{path}.template"))
    if problems:
        raise _invalid(problems)


def _check_dimensions(session: Session, document: MappingDocument) -> None:
    known = set(session.exec(select(Dimension.code)).all())
    unknown = [name for name in document.breakdown if name not in known]
    if unknown:
        raise _invalid(
            [
                ErrorItem(code="unknown_dimension", message=f"no dimension '{n}'", field=f"breakdown.{n}")
                for n in unknown
            ]
        )


def _summary(row: SourceMapping) -> MappingSummary:
    document = MappingDocument.model_validate(row.document)
    return MappingSummary(
        code=row.code,
        name=row.name,
        description=document.description,
        source=document.source,
        updated_at=row.updated_at,
    )


def list_mappings(*, session: Session, limit: int, offset: int) -> Page[MappingSummary]:
    rows, total = page_of(session, select(SourceMapping).order_by(col(SourceMapping.code)), limit, offset)
    return Page(items=[_summary(r) for r in rows], total=total, limit=limit, offset=offset)


def get_mapping(*, session: Session, code: str) -> MappingDocument:
    return MappingDocument.model_validate(get_by_code(session, SourceMapping, code, "mapping").document)


def all_mappings(*, session: Session) -> list[MappingDocument]:
    """Every mapping, by code (the alliance's files)."""
    rows = session.exec(select(SourceMapping).order_by(col(SourceMapping.code))).all()
    return [MappingDocument.model_validate(r.document) for r in rows]


def _stored(document: MappingDocument) -> dict[str, object]:
    return document.model_dump(mode="json", exclude_defaults=True)


def document_json(document: MappingDocument) -> bytes:
    """A mapping as the JSON file the alliance's files hold (what was given, defaults left out)."""
    return (json.dumps(_stored(document), indent=2, ensure_ascii=False) + "\n").encode()


def document_yaml(document: MappingDocument) -> str:
    """A mapping as YAML for people to read and edit (what was given, defaults left out, in the document's order)."""
    return str(yaml.safe_dump(_stored(document), sort_keys=False, allow_unicode=True, width=100))


def document_version(document: MappingDocument) -> str:
    """A fingerprint of a mapping's content: a file checked with it is imported with the same mapping."""
    return hashlib.sha256(document_json(document)).hexdigest()


def create_mapping(
    *, session: Session, actor: Principal | None, document: MappingDocument, channel: Channel = Channel.api
) -> MappingDocument:
    if session.exec(select(SourceMapping).where(SourceMapping.code == document.code)).first():
        raise Conflict(f"A mapping with code '{document.code}' already exists", code="duplicate_code")
    _check_dimensions(session, document)
    session.add(SourceMapping(code=document.code, name=document.name, document=_stored(document)))
    record_change(session, actor, f"mapping {document.code} created", channel=channel)
    session.flush()
    return document


def replace_mapping(
    *,
    session: Session,
    actor: Principal | None,
    code: str,
    document: MappingDocument,
    channel: Channel = Channel.api,
) -> MappingDocument:
    """Replace a mapping by a new version of it (the code stays)."""
    row = get_by_code(session, SourceMapping, code, "mapping")
    if document.code != code:
        raise _invalid([ErrorItem(code="code_mismatch", message=f"the document's code must be '{code}'", field="code")])
    _check_dimensions(session, document)
    stored = _stored(document)
    if stored != row.document:
        row.name, row.document, row.updated_at = document.name, stored, utcnow()
        session.add(row)
        record_change(session, actor, f"mapping {code} changed", channel=channel)
        session.flush()
    return document


def save_mapping(*, session: Session, actor: Principal | None, document: MappingDocument) -> str:
    """Create or replace; ``created``, ``updated`` or ``unchanged`` (the set-up loader)."""
    row = session.exec(select(SourceMapping).where(SourceMapping.code == document.code)).first()
    if row is None:
        create_mapping(session=session, actor=actor, document=document)
        return "created"
    if _stored(document) == row.document:
        return "unchanged"
    replace_mapping(session=session, actor=actor, code=document.code, document=document)
    return "updated"


def delete_mapping(*, session: Session, actor: Principal | None, code: str, channel: Channel = Channel.api) -> None:
    session.delete(get_by_code(session, SourceMapping, code, "mapping"))
    record_change(session, actor, f"mapping {code} deleted", channel=channel)
    session.flush()


def check_file(
    spooled: SpooledFile, document: MappingDocument, *, max_rows: int, max_errors: int, limit: int
) -> tuple[int, list[MappedRow]]:
    """A file through a mapping alone, with no database: how many observations, and the first ``limit``."""
    cur = duckdb.connect()
    try:
        cur.execute("CREATE TABLE dimension (code VARCHAR)")
        if document.breakdown:
            cur.executemany("INSERT INTO dimension VALUES (?)", [(d,) for d in document.breakdown])
        staged = stage_mapped(cur, spooled, document, max_rows=max_rows, max_errors=max_errors)
        count = cur.execute("SELECT count(*) FROM staged").fetchall()[0][0]
        return count, mapped_rows(cur, staged.dimensions, limit)
    finally:
        cur.close()


def read_document_file(path: Path) -> MappingDocument:
    """A mapping from a local JSON or YAML file (the CLI)."""
    return parse_document(path.read_bytes(), name=path.name)
