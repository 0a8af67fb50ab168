"""Files uploaded through the dashboard, held on disk between their dry run and the uploader's confirmation.

The browser sends a file once; after the dry run it stays in the upload directory
under a random id, with a note of who uploaded it, for whom, its checksum and the source
mapping it was read with (if any, with its version). The confirmation imports exactly
those bytes (checked again) with that same mapping, and removes the file.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from api.config import Settings
from api.errors import Conflict, NotFound
from api.ingest.spool import Spool, SpooledFile
from api.models.mapping import MappingDocument
from api.models.observation import WriteSummary
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.imports.batches import import_file
from api.services.imports.mappings import document_version, get_mapping

HOLD_SECONDS = 3600  # an unconfirmed upload is removed after an hour
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CHUNK = 1 << 20


class Held(NamedTuple):
    """A held file as its uploader claims it: the bytes, whom they are for, and the mapping they were checked with."""

    spooled: SpooledFile
    organisation_id: int
    mapping: str | None = None  # the source mapping's code; None: Backbone's own format
    mapping_version: str | None = None  # ``mappings.document_version`` of the mapping when the file was checked


def spool_bytes(*, settings: Settings, name: str, data: bytes) -> SpooledFile:
    """Spool a file received in one piece through the same checks as a streamed upload (size, lines, checksum)."""
    safe_name = name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload.csv"
    spool = Spool(
        settings.upload_dir, safe_name, max_bytes=settings.max_upload_bytes, max_line_bytes=settings.max_line_bytes
    )
    try:
        for start in range(0, len(data), _CHUNK):
            spool.write(data[start : start + _CHUNK])
    except BaseException:
        spool.discard()
        raise
    return spool.finish()


def _note(settings: Settings, token: str, state: str = "held") -> Path:
    if not _TOKEN.match(token):
        raise NotFound("No such upload", code="upload_not_found")
    return settings.upload_dir / f"{state}-{token}.json"


def hold(
    *,
    settings: Settings,
    spooled: SpooledFile,
    user_id: int,
    organisation_id: int,
    mapping: MappingDocument | None = None,
) -> str:
    """Keep a checked file for its uploader's confirmation (with the mapping it was read with); return its random id."""
    token = secrets.token_urlsafe(24)
    note = {
        "user_id": user_id,
        "organisation_id": organisation_id,
        "mapping": mapping.code if mapping else None,
        "mapping_version": document_version(mapping) if mapping else None,
        "file": spooled.path.name,
        "name": spooled.name,
        "size": spooled.size,
        "checksum": spooled.checksum,
        "is_xlsx": spooled.is_xlsx,
        "is_utf8": spooled.is_utf8,
        "held_at": time.time(),
    }
    _note(settings, token).write_text(json.dumps(note))
    return token


def claim(*, settings: Settings, token: str, user_id: int) -> Held:
    """Take the file held under ``token`` for this user (one taker at a time), with its organisation and mapping.

    NotFound when it is gone, expired, being imported, someone else's, or its bytes changed.
    """
    held, claimed = _note(settings, token), _note(settings, token, "claimed")
    try:
        note = json.loads(held.read_text())
    except (OSError, ValueError):
        raise NotFound("This upload is no longer held; upload the file again", code="upload_not_found") from None
    if note.get("user_id") != user_id or time.time() - note.get("held_at", 0) > HOLD_SECONDS:
        raise NotFound("This upload is no longer held; upload the file again", code="upload_not_found")
    try:
        held.rename(claimed)  # atomic: a second confirmation of the same upload finds nothing
    except OSError:
        raise NotFound("This upload is already being imported", code="upload_not_found") from None
    path = settings.upload_dir / Path(note["file"]).name
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        release(settings=settings, token=token)
        raise NotFound("This upload is no longer held; upload the file again", code="upload_not_found") from None
    if digest.hexdigest() != note["checksum"]:
        release(settings=settings, token=token)
        raise NotFound("The held file has changed since it was checked; upload it again", code="upload_changed")
    spooled = SpooledFile(
        path=path,
        name=note["name"],
        size=note["size"],
        checksum=note["checksum"],
        is_xlsx=note["is_xlsx"],
        is_utf8=note["is_utf8"],
    )
    return Held(spooled, note["organisation_id"], note.get("mapping"), note.get("mapping_version"))


def unclaim(*, settings: Settings, token: str) -> None:
    """Hold a claimed file again (its import may be retried), for the rest of its hour."""
    _note(settings, token, "claimed").replace(_note(settings, token))


def release(*, settings: Settings, token: str) -> None:
    """Remove a held or claimed file and its note."""
    for state in ("held", "claimed"):
        note = _note(settings, token, state)
        try:
            name = json.loads(note.read_text())["file"]
        except (OSError, ValueError, KeyError):
            continue
        (settings.upload_dir / Path(name).name).unlink(missing_ok=True)
        note.unlink(missing_ok=True)


def sweep(*, settings: Settings, now: float | None = None) -> int:
    """Remove the held files nobody confirmed within the hour (and claims left by a crash); return how many."""
    now = time.time() if now is None else now
    removed = 0
    for state, seconds in (("held", HOLD_SECONDS), ("claimed", 2 * HOLD_SECONDS)):
        for note in settings.upload_dir.glob(f"{state}-*.json"):
            try:
                held_at = json.loads(note.read_text()).get("held_at", 0)
            except (OSError, ValueError):
                continue
            if now - held_at > seconds:
                release(settings=settings, token=note.stem.removeprefix(f"{state}-"))
                removed += 1
    return removed


def import_spooled(
    *,
    session: Session,
    read_model: ReadModel,
    settings: Settings,
    principal: Principal,
    spooled: SpooledFile,
    organisation_id: int,
    dry_run: bool,
    mapping: MappingDocument | None = None,
) -> WriteSummary:
    """A spooled file through the import pipeline for the organisation, as the uploader (a dry run writes nothing);
    a publisher's file read through its source ``mapping``."""
    return import_file(
        session=session,
        read_model=read_model,
        settings=settings,
        spooled=spooled,
        organisation_id=organisation_id,
        user_id=principal.user_id,
        dry_run=dry_run,
        staff=principal.is_admin,
        mapping=mapping,
    )


def held_mapping(*, session: Session, held: Held) -> MappingDocument | None:
    """The mapping a held file was checked with, as it is stored now; NotFound if it was changed or removed since."""
    if held.mapping is None:
        return None
    gone = NotFound(
        f"The mapping '{held.mapping}' was changed or removed since the file was checked; upload it again",
        code="mapping_changed",
    )
    try:
        document = get_mapping(session=session, code=held.mapping)
    except NotFound:
        raise gone from None
    if document_version(document) != held.mapping_version:
        raise gone
    return document


def check(
    *,
    session: Session,
    read_model: ReadModel,
    settings: Settings,
    principal: Principal,
    organisation_id: int,
    name: str,
    data: bytes,
    mapping: str | None = None,
) -> tuple[WriteSummary, str]:
    """Spool a file, check it through the import pipeline (a dry run) and hold it for confirmation: (counts, hold id).

    ``mapping``: the code of the source mapping the file is read with (None: Backbone's own format); the
    confirmation uses the same one. Raises the pipeline's errors (the file is removed then).
    """
    sweep(settings=settings)
    document = get_mapping(session=session, code=mapping) if mapping else None
    spooled = spool_bytes(settings=settings, name=name, data=data)
    try:
        summary = import_spooled(
            session=session,
            read_model=read_model,
            settings=settings,
            principal=principal,
            spooled=spooled,
            organisation_id=organisation_id,
            dry_run=True,
            mapping=document,
        )
    except BaseException:
        spooled.remove()
        raise
    held = hold(
        settings=settings,
        spooled=spooled,
        user_id=principal.user_id,
        organisation_id=organisation_id,
        mapping=document,
    )
    return summary, held


@contextmanager
def confirming(*, settings: Settings, token: str, user_id: int) -> Iterator[Held]:
    """The held file, claimed for its import in the block (with its organisation and mapping); removed afterwards.

    The block holds the import's whole write transaction, its commit too: when the database
    was busy the file is held again, so that the same file may be confirmed again.
    """
    held = claim(settings=settings, token=token, user_id=user_id)
    try:
        yield held
    except (Conflict, DBAPIError) as exc:
        if busy(exc):
            unclaim(settings=settings, token=token)
        else:
            release(settings=settings, token=token)
        raise
    except BaseException:
        release(settings=settings, token=token)
        raise
    release(settings=settings, token=token)


def busy(exc: Exception) -> bool:
    """A write that may simply be sent again (the database was busy), unlike a period that is locked."""
    return isinstance(exc, DBAPIError) or (isinstance(exc, Conflict) and exc.code != "period_locked")
