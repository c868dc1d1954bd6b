"""Uploaded files: checked for what they really are, stored behind a small interface.

`Storage` is the interface (a folder under var/uploads in development; an object store could
take its place). `sniff` decides a file's type from its first bytes, never from the name or
the browser's claim, and the name's extension must agree with it.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from app.errors import AppError
from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from app.settings import Settings


class Storage(Protocol):
    async def put(self, data: bytes, suffix: str) -> str: ...
    async def get(self, key: str) -> bytes: ...
    async def delete(self, key: str) -> None: ...
    async def written_before(self, moment: datetime) -> list[str]: ...


class FolderStorage:
    """Files in a folder, under random names: the user's file name is never a path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        if not key.replace("-", "").replace("_", "").replace(".", "").isalnum() or ".." in key:
            raise ValueError("bad storage key")
        return self.folder / key[:2] / key

    async def put(self, data: bytes, suffix: str) -> str:
        key = secrets.token_urlsafe(24) + suffix
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return key

    async def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    async def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    async def written_before(self, moment: datetime) -> list[str]:
        """The keys of the files written before `moment`."""
        cutoff = moment.timestamp()
        return sorted(path.name for path in self.folder.glob("*/*")
                      if path.is_file() and path.stat().st_mtime < cutoff)


def uploads(settings: Settings) -> Storage:
    """Where this deployment keeps uploaded files."""
    return FolderStorage(settings.var_dir / "uploads")


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", (".pdf",))
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"))
PNG = FileKind("image/png", (".png",))
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                (".docx",))
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
ODT = FileKind("application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ACCEPTED = (PDF, JPEG, PNG, DOCX, XLSX, ODT, ODS)
ACCEPT_ATTRIBUTE = ",".join(ext for kind in ACCEPTED for ext in kind.extensions)

WRONG_TYPE = _l("Upload a PDF, a photo (JPEG or PNG), or a Word, Excel or OpenDocument file.")
LYING_TYPE = _l("This file's contents do not match its name. Save it again as the kind of file "
                "its name says, and upload it again.")
EMPTY = _l("This file is empty.")
INFLATES = _l("This file unpacks to far more than its size, as no real document does. Save it "
              "again from your word processor or spreadsheet and upload it again.")

# An office file is a zip archive. Whoever opens it (staff's Word, a data export) inflates
# it: what it holds, and how much it grows, are bounded before it is accepted. Real
# documents grow 2 to 20 times (pictures inside are already compressed).
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_INFLATION_RATIO = 100
MAX_MEMBERS = 10_000


class Inflates(ValueError):
    """A zip archive that unpacks to far more than is plausible (a zip bomb)."""


def _check_inflation(archive: zipfile.ZipFile, packed: int) -> None:
    """Refuse an archive whose declared contents are too large, too many, or grow too much;
    then read it all through (bounded by those sizes) so a size that lies fails its CRC."""
    members = archive.infolist()
    inflated = sum(member.file_size for member in members)
    if (len(members) > MAX_MEMBERS or inflated > MAX_INFLATED_BYTES
            or inflated > MAX_INFLATION_RATIO * max(packed, 1)):
        raise Inflates()
    if archive.testzip() is not None:
        raise zipfile.BadZipFile("a member does not match its checksum")


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_inflation(archive, len(data))
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.getinfo("mimetype").file_size > 100:  # a bomb, not a type name
                    return None
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return next((k for k in (ODT, ODS) if k.content_type == declared), None)
    except Inflates:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError,
            EOFError):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(data: bytes) -> FileKind | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    kind: FileKind
    size: int
    sha256: str


def clean_filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(" .")
    return base[-120:] or "file"


def check_upload(filename: str, data: bytes, max_bytes: int) -> CheckedFile:
    """The file's real type, or an AppError (422) naming what is wrong with it."""
    name = clean_filename(filename)
    if not data:
        raise AppError(EMPTY, code="empty_file", status_code=422)
    if len(data) > max_bytes:
        raise AppError(Msg(_l("This file is larger than %(limit)s MB."),
                           limit=max_bytes // (1024 * 1024)), code="file_too_large",
                       status_code=413)
    try:
        kind = sniff(data)
    except Inflates as exc:
        raise AppError(INFLATES, code="file_inflates", status_code=422) from exc
    if kind is None:
        raise AppError(WRONG_TYPE, code="file_type", status_code=422)
    if not name.lower().endswith(kind.extensions):
        raise AppError(LYING_TYPE, code="file_type_mismatch", status_code=422)
    return CheckedFile(name, kind, len(data), hashlib.sha256(data).hexdigest())
