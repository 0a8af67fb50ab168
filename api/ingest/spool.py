"""Spooling a file to disk while checking it: size, line length, checksum and encoding.

Uploads pass through here chunk by chunk as they arrive, so a file that is too
large is refused (413) after at most the limit's worth of bytes, and memory use
does not grow with the file.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from api.errors import ErrorItem, ImportRejected, TooLarge

if TYPE_CHECKING:
    from api.ingest.write import Progress

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class SpooledFile:
    path: Path
    name: str
    size: int
    checksum: str  # sha256 of the bytes as received
    is_xlsx: bool
    is_utf8: bool  # the text decodes as UTF-8 (else it is read as cp1252)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


class Spool:
    """A temporary file that checks the bytes written to it."""

    def __init__(self, directory: Path, name: str, *, max_bytes: int, max_line_bytes: int) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        handle, path = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=Path(name).suffix[:10])
        self._file = os.fdopen(handle, "wb")
        self.path = Path(path)
        self.name = name
        self.max_bytes = max_bytes
        self.max_line_bytes = max_line_bytes
        self.size = 0
        self._sha = hashlib.sha256()
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._utf8 = True
        self._is_xlsx: bool | None = None
        self._lines_before = 0  # complete lines seen, for the message
        self._line_bytes = 0  # bytes since the last newline

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self._is_xlsx is None:
            self._is_xlsx = data.startswith(XLSX_MAGIC) or self.name.lower().endswith(".xlsx")
        self.size += len(data)
        if self.size > self.max_bytes:
            self.discard()
            raise TooLarge(
                f"The file is larger than the limit of {self.max_bytes:,} bytes; split it into smaller files",
                code="file_too_large",
            )
        self._sha.update(data)
        if not self._is_xlsx:
            self._check_text(data)
        self._file.write(data)

    def _check_text(self, data: bytes) -> None:
        if self._utf8:
            try:
                self._decoder.decode(data)
            except UnicodeDecodeError:
                self._utf8 = False  # read as Windows-1252 (Latin-1 with €, – and “”)
        first, last = data.find(b"\n"), data.rfind(b"\n")
        if first < 0:
            longest = self._line_bytes + len(data)
        else:
            inner = data[first + 1 : last]
            longest = max(self._line_bytes + first, max(map(len, inner.split(b"\n"))) if inner else 0)
        if longest > self.max_line_bytes:
            self._refuse_long_line(data)
        if first < 0:
            self._line_bytes += len(data)
        else:
            self._lines_before += data.count(b"\n")
            self._line_bytes = len(data) - last - 1

    def _refuse_long_line(self, data: bytes) -> None:
        line, length = self._lines_before + 1, self._line_bytes
        for byte in data.split(b"\n"):
            if length + len(byte) > self.max_line_bytes:
                break
            line, length = line + 1, 0
        self.discard()
        message = f"line {line} is longer than {self.max_line_bytes:,} bytes"
        raise ImportRejected(
            f"The file's {message}: is it a CSV file?",
            errors=[ErrorItem(code="line_too_long", message=message, row=line)],
            code="line_too_long",
        )

    def finish(self) -> SpooledFile:
        self._file.close()
        if self._utf8:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._utf8 = False
        return SpooledFile(
            path=self.path,
            name=self.name,
            size=self.size,
            checksum=self._sha.hexdigest(),
            is_xlsx=bool(self._is_xlsx),
            is_utf8=self._utf8,
        )

    def discard(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


def spool_local_file(
    source: Path, directory: Path, *, max_bytes: int, max_line_bytes: int, progress: Progress | None = None
) -> SpooledFile:
    """Copy a local file through the same checks as an upload (the CLI's way in)."""
    spool = Spool(directory, source.name, max_bytes=max_bytes, max_line_bytes=max_line_bytes)
    total = source.stat().st_size
    with source.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            spool.write(chunk)
            if progress:
                progress("reading", spool.size, total)
    return spool.finish()
