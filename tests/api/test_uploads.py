"""Files held between the dashboard's dry run and the confirmation: bound to their uploader, checked, removed."""

from __future__ import annotations

import time

import pytest

from api.config import Settings
from api.db import Database
from api.errors import Busy, Conflict, ImportRejected, NotFound, TooLarge
from api.services.imports import mappings, uploads

CSV = b"indicator,area,period,value\ncount,A1,2025,12\n"


WIDE = b"area;count 2024;count 2025\nA1;12;13\n"
MAPPING = """
code: wide
name: A wide file
indicator: count
area: {column: area}
period: {group: year}
measures:
  - columns: '^count (?P<year>\\d{4})$'
"""


def held(settings: Settings, user_id: int = 1, data: bytes = CSV, mapping=None) -> str:
    spooled = uploads.spool_bytes(settings=settings, name="../../etc/values.csv", data=data)
    assert spooled.path.parent == settings.upload_dir and spooled.name == "values.csv"
    return uploads.hold(settings=settings, spooled=spooled, user_id=user_id, organisation_id=7, mapping=mapping)


def files(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.upload_dir.iterdir())


def test_a_held_file_is_claimed_by_its_uploader_once_and_released(settings):
    token = held(settings)
    spooled, organisation_id, mapping, _version = uploads.claim(settings=settings, token=token, user_id=1)
    assert organisation_id == 7 and spooled.path.read_bytes() == CSV and not spooled.is_xlsx
    assert mapping is None  # Backbone's own format
    with pytest.raises(NotFound):
        uploads.claim(settings=settings, token=token, user_id=1)  # a second confirmation finds nothing
    uploads.unclaim(settings=settings, token=token)  # the database was busy: it may be confirmed again
    uploads.claim(settings=settings, token=token, user_id=1)
    uploads.release(settings=settings, token=token)
    assert files(settings) == []


def test_another_user_cannot_claim_a_held_file(settings):
    token = held(settings, user_id=1)
    with pytest.raises(NotFound):
        uploads.claim(settings=settings, token=token, user_id=2)
    assert uploads.claim(settings=settings, token=token, user_id=1)


def test_a_held_file_whose_bytes_changed_is_refused_and_removed(settings):
    token = held(settings)
    (path,) = [p for p in settings.upload_dir.iterdir() if p.name.startswith("upload-")]
    path.write_bytes(CSV.replace(b"12", b"99"))
    with pytest.raises(NotFound) as raised:
        uploads.claim(settings=settings, token=token, user_id=1)
    assert raised.value.code == "upload_changed" and files(settings) == []


def test_a_confirmed_file_is_removed_after_its_import_and_held_again_when_the_database_was_busy(settings):
    done, busy, locked, broken = held(settings), held(settings), held(settings), held(settings)
    with uploads.confirming(settings=settings, token=done, user_id=1) as held_file:
        assert held_file.organisation_id == 7 and held_file.spooled.path.read_bytes() == CSV
    with pytest.raises(Busy), uploads.confirming(settings=settings, token=busy, user_id=1):
        raise Busy()
    with pytest.raises(Conflict), uploads.confirming(settings=settings, token=locked, user_id=1):
        raise Conflict("locked", code="period_locked")
    with (
        pytest.raises(ValueError, match="the import failed"),
        uploads.confirming(settings=settings, token=broken, user_id=1),
    ):
        raise ValueError("the import failed")
    for gone in (done, locked, broken):
        with pytest.raises(NotFound):
            uploads.claim(settings=settings, token=gone, user_id=1)
    assert uploads.claim(settings=settings, token=busy, user_id=1)  # the same file may be confirmed again
    assert len([name for name in files(settings) if name.startswith("upload-")]) == 1


def test_a_file_held_with_a_mapping_is_confirmed_with_that_mapping_unless_it_changed_since(settings, db: Database):
    document = mappings.parse_document(MAPPING)
    with db.transaction() as session:
        mappings.create_mapping(session=session, actor=None, document=document)
    first, second, third = (held(settings, data=WIDE, mapping=document) for _ in range(3))
    with uploads.confirming(settings=settings, token=first, user_id=1) as found, db.session() as session:
        assert (found.organisation_id, found.mapping) == (7, "wide")
        assert uploads.held_mapping(session=session, held=found) == document  # the same mapping as checked
    with pytest.raises(NotFound):
        uploads.claim(settings=settings, token=first, user_id=2)  # bound to its uploader, mapping and all

    changed = document.model_copy(update={"name": "A wide file, changed"})
    with db.transaction() as session:
        mappings.replace_mapping(session=session, actor=None, code="wide", document=changed)
    with (
        pytest.raises(NotFound) as raised,
        uploads.confirming(settings=settings, token=second, user_id=1) as found,
        db.session() as session,
    ):
        uploads.held_mapping(session=session, held=found)
    assert raised.value.code == "mapping_changed"
    with db.transaction() as session:
        mappings.delete_mapping(session=session, actor=None, code="wide")
    with (
        pytest.raises(NotFound) as raised,
        uploads.confirming(settings=settings, token=third, user_id=1) as found,
        db.session() as session,
    ):
        uploads.held_mapping(session=session, held=found)
    assert raised.value.code == "mapping_changed"
    assert files(settings) == []  # both removed: they cannot be imported as they were checked


@pytest.mark.parametrize("token", ["../../etc/passwd", "short", "x" * 100, "held-abc/../x"])
def test_tokens_that_are_not_ours_find_nothing(settings, token):
    with pytest.raises(NotFound):
        uploads.claim(settings=settings, token=token, user_id=1)


def test_unconfirmed_files_are_swept_after_the_hour(settings):
    old, _other = held(settings), held(settings)
    assert uploads.sweep(settings=settings) == 0
    later = time.time() + uploads.HOLD_SECONDS + 1
    assert uploads.sweep(settings=settings, now=later) == 2
    assert files(settings) == []
    with pytest.raises(NotFound):
        uploads.claim(settings=settings, token=old, user_id=1)


def test_spooling_applies_the_upload_limits(settings_small_limits):
    with pytest.raises(TooLarge):
        uploads.spool_bytes(settings=settings_small_limits, name="big.csv", data=b"a,b\n" * 100)
    with pytest.raises(ImportRejected):
        uploads.spool_bytes(settings=settings_small_limits, name="long.csv", data=b"x" * 150)
    assert list(settings_small_limits.upload_dir.iterdir()) == []


@pytest.fixture
def settings_small_limits(database_url, tmp_path) -> Settings:
    from tests.conftest import make_settings

    return make_settings(database_url, tmp_path, max_upload_bytes=200, max_line_bytes=100)
