"""Files held between the dashboard's dry run and the confirmation: bound to their uploader, checked, removed."""

from __future__ import annotations

import time

import pytest

from api.config import Settings
from api.errors import Busy, Conflict, ImportRejected, NotFound, TooLarge
from api.services.imports import uploads

CSV = b"indicator,area,period,value\ncount,A1,2025,12\n"


def held(settings: Settings, user_id: int = 1, data: bytes = CSV) -> str:
    spooled = uploads.spool_bytes(settings=settings, name="../../etc/values.csv", data=data)
    assert spooled.path.parent == settings.upload_dir and spooled.name == "values.csv"
    return uploads.hold(settings=settings, spooled=spooled, user_id=user_id, organisation_id=7)


def files(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.upload_dir.iterdir())


def test_a_held_file_is_claimed_by_its_uploader_once_and_released(settings):
    token = held(settings)
    spooled, organisation_id = uploads.claim(settings=settings, token=token, user_id=1)
    assert organisation_id == 7 and spooled.path.read_bytes() == CSV and not spooled.is_xlsx
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
    with uploads.confirming(settings=settings, token=done, user_id=1) as (spooled, organisation_id):
        assert organisation_id == 7 and spooled.path.read_bytes() == CSV
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
