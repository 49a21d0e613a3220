"""Checks on uploaded files, judged by their content (magic bytes), never by name or header."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"

EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", PNG: "png", JPEG: "jpg"}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def check_upload(upload, *, allowed: tuple[str, ...], max_bytes: int) -> CheckedFile:
    """Refuse a file that is too big or whose content is not one of `allowed`."""
    size = upload.size
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(max)s MB.")
            % {"size": round(size / 1048576, 1), "max": round(max_bytes / 1048576, 1)},
            code="too_big",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(upload)
    if kind not in allowed:
        names = ", ".join(EXTENSIONS[k].upper() for k in allowed)
        raise ValidationError(
            _("The file's content is not an accepted type (%(types)s).") % {"types": names},
            code="bad_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(content_type=kind, size=size, sha256=digest.hexdigest())
