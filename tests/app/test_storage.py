"""Uploaded files: what they really are, and office files that would inflate without bound."""

from __future__ import annotations

import io
import zipfile
import zlib
from unittest import mock

import pytest

from app import storage
from app.errors import AppError

LIMIT = 10 * 1024 * 1024


MEBIBYTE = bytes(1024 * 1024)


class _ZerosDeflater:
    """Deflates each mebibyte of zeros to the same ~1 KB block, fully flushed (so blocks can
    follow one another): a gibibyte's bomb is built in a moment instead of seconds."""

    block = (lambda c: c.compress(MEBIBYTE) + c.flush(zlib.Z_FULL_FLUSH))(
        zlib.compressobj(9, zlib.DEFLATED, -15))

    def compress(self, data: bytes) -> bytes:
        assert data == MEBIBYTE
        return self.block

    def flush(self) -> bytes:
        return zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the final, empty block


def _office(parts: dict[str, bytes], *, extra_zeros: int = 0) -> bytes:
    """A minimal .docx (its main part named as Word names it), perhaps with a padded part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
        if extra_zeros:
            with mock.patch.object(zipfile, "_get_compressor", lambda *_a: _ZerosDeflater()), \
                    archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
                for _ in range(extra_zeros // len(MEBIBYTE)):
                    member.write(MEBIBYTE)
    return buffer.getvalue()


DOCUMENT = {"[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document>" + b"<w:p>Mavuno</w:p>" * 2000 + b"</w:document>"}


def test_a_real_document_is_accepted() -> None:
    checked = storage.check_upload("plan.docx", _office(DOCUMENT), LIMIT)
    assert checked.kind is storage.DOCX


def test_a_small_file_that_inflates_to_a_gibibyte_is_refused() -> None:
    bomb = _office(DOCUMENT, extra_zeros=1024 * 1024 * 1024)
    assert len(bomb) < 1.1 * 1024 * 1024  # about 1 MB on the wire
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive, archive.open("word/media/padding.bin") \
            as member:  # a real bomb: it does unpack, the first of 1,024 mebibytes here
        assert member.read(len(MEBIBYTE)) == MEBIBYTE
    with pytest.raises(AppError) as refused:
        storage.check_upload("plan.docx", bomb, LIMIT)
    assert refused.value.code == "file_inflates" and refused.value.status_code == 422
    assert "unpacks to far more" in str(refused.value.message)


def test_growing_far_more_than_documents_do_is_refused_below_the_total_cap() -> None:
    grows = _office(DOCUMENT, extra_zeros=20 * 1024 * 1024)  # 20 MiB from ~20 KiB
    with pytest.raises(AppError, match="unpacks to far more"):
        storage.check_upload("plan.docx", grows, LIMIT)


def test_thousands_of_tiny_parts_are_refused() -> None:
    many = _office({**DOCUMENT, **{f"word/p{n}.xml": b"" for n in range(storage.MAX_MEMBERS)}})
    with pytest.raises(AppError, match="unpacks to far more"):
        storage.check_upload("plan.docx", many, LIMIT)


def test_a_part_that_does_not_unpack_to_its_checksum_is_not_a_document() -> None:
    spoiled = bytearray(_office(DOCUMENT))
    header = spoiled.find(b"word/document.xml")  # the local header, then the deflated part
    spoiled[header + len("word/document.xml") + 40] ^= 0xFF
    with pytest.raises(AppError) as refused:
        storage.check_upload("plan.docx", bytes(spoiled), LIMIT)
    assert refused.value.code == "file_type"
