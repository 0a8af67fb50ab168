"""Receiving an uploaded file: a multipart body parsed as it streams in, its file spooled with its checks."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import TYPE_CHECKING

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from api.config import Settings
from api.errors import Invalid, TooLarge, Unsupported
from api.ingest.spool import Spool, SpooledFile

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FIELD = "file"
_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file


class _Receiver:
    """Callbacks of the streaming multipart parser: the part named ``file`` goes to a spool."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.spool: Spool | None = None
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._target: Spool | None = None

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._append("_field", data[start:end]),
            "on_header_value": lambda data, start, end: self._append("_value", data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._part_end,
        }

    def _append(self, name: str, data: bytes) -> None:
        setattr(self, name, getattr(self, name) + data)

    def _part_begin(self) -> None:
        self._headers, self._target = {}, None

    def _header_end(self) -> None:
        self._headers[self._field.strip().lower()] = self._value.strip()
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if options.get(b"name") == FIELD.encode() and self.spool is None:
            filename = options.get(b"filename", b"upload.csv").decode("utf-8", errors="replace") or "upload.csv"
            self.spool = self._target = Spool(
                self.settings.upload_dir,
                filename.replace("\\", "/").rsplit("/", 1)[-1][:200],
                max_bytes=self.settings.max_upload_bytes,
                max_line_bytes=self.settings.max_line_bytes,
            )

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._target is not None:
            self._target.write(data[start:end])

    def _part_end(self) -> None:
        self._target = None


async def receive_upload(
    *, body: AsyncIterable[bytes], content_type: str, content_length: str | None, settings: Settings
) -> SpooledFile:
    """Stream a multipart body's ``file`` field to disk; 413 as soon as it is too large.

    ``content_type`` and ``content_length`` are the request's headers (the boundary, the declared size).
    """
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise Unsupported(f"Send the file as multipart/form-data in the field '{FIELD}'", code="not_multipart")
    limit = settings.max_upload_bytes + _OVERHEAD
    declared = content_length or ""
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(
            f"The file is larger than the limit of {settings.max_upload_bytes:,} bytes", code="file_too_large"
        )
    receiver = _Receiver(settings)
    parser = MultipartParser(options[b"boundary"], receiver.callbacks())
    received = 0
    try:
        async for chunk in body:
            received += len(chunk)
            if received > limit:
                raise TooLarge(
                    f"The file is larger than the limit of {settings.max_upload_bytes:,} bytes", code="file_too_large"
                )
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        if receiver.spool:
            receiver.spool.discard()
        raise Invalid(f"The upload is not valid multipart/form-data: {exc}", code="bad_multipart") from exc
    except BaseException:
        if receiver.spool:
            receiver.spool.discard()
        raise
    if receiver.spool is None:
        raise Invalid(f"No file in the field '{FIELD}'", code="no_file")
    return receiver.spool.finish()
