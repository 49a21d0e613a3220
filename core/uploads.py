"""The one guard every uploaded file passes: size cap, type judged by content, clean name.

Types are judged by the file's first bytes (and, for Office files, by the zip's own
[Content_Types].xml), never by the name or the browser's Content-Type header: a picture renamed
to .pdf is refused. Office files are zip archives, so they are also checked for zip bombs before
anything unpacks them. The name the user gave is kept only for display (sanitised); the stored
path is generated, under MEDIA_ROOT, which no URL serves.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.tabular import OLE_MAGIC, old_excel_message

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"

# The types a browser shows inline (PDF in its viewer, pictures as <img>); others download.
INLINE_TYPES = {PDF: "pdf", PNG: "image", JPEG: "image"}
EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", PNG: "png", JPEG: "jpg", CSV: "csv"}
# The main part each Office kind declares in [Content_Types].xml.
_OFFICE_MAIN_PARTS = {
    DOCX: b"wordprocessingml.document.main+xml",
    XLSX: b"spreadsheetml.sheet.main+xml",
}

# Zip bomb guard: real Office files compress about 2-10x; a bomb compresses 1000x or more.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
CSV_SNIFF_BYTES = 64 * 1024
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str
    name: str  # the user's file name, sanitised, for display and downloads

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def _bomb_error() -> ValidationError:
    return ValidationError(
        _("The file unpacks to an unreasonable size and was refused."), code="zip_bomb"
    )


def check_zip(upload: IO[bytes]) -> zipfile.ZipFile | None:
    """Open an archive after refusing a zip bomb (by its declared sizes, before unpacking)."""
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        upload.seek(0)
        return None
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if len(infos) > MAX_ZIP_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        archive.close()
        raise _bomb_error()
    # A ratio only means something once the content is big enough to hurt.
    if unpacked > 1024 * 1024 and unpacked / packed > MAX_ZIP_RATIO:
        archive.close()
        raise _bomb_error()
    return archive


def _office_kind(upload: IO[bytes]) -> str | None:
    archive = check_zip(upload)
    if archive is None:
        return None
    try:
        with archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return None
            content_types = archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)
    for kind, part in _OFFICE_MAIN_PARTS.items():
        if part in content_types:
            return kind
    return None


def _is_utf8_text(upload: IO[bytes]) -> bool:
    upload.seek(0)
    head = upload.read(CSV_SNIFF_BYTES)
    upload.seek(0)
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sample; anything else is binary.
        return len(head) == CSV_SNIFF_BYTES and exc.start >= len(head) - 3
    return True


def sniff(upload: IO[bytes], *, text_ok: bool = False) -> str | None:
    """The content type judged by the bytes, or None. CSV only when `text_ok`."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if text_ok and _is_utf8_text(upload):
        return CSV
    return None


_UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*\\/]')


def safe_filename(name: str | None, *, default: str = "tep") -> str:
    """A display name with no path parts or control characters; Vietnamese letters kept.

    NFC keeps "Báo cáo.pdf" composed the way Windows and Office write it. Length is capped with
    the extension kept.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    # No leading dot (a hidden file, "..") and no space or dot at either end (Windows drops them).
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].strip(" .")
            name = f"{stem}.{extension}" if stem else extension
        else:
            name = name[:MAX_NAME_LENGTH].strip(" .")
    return name or default


def generated_name(checked: CheckedFile) -> str:
    """A stored file name nobody can choose or guess: a random token and the real extension."""
    return f"{uuid.uuid4().hex}.{checked.extension}"


def generated_path(prefix: str, checked: CheckedFile) -> str:
    today = datetime.date.today()  # noqa: DTZ011 - only a folder name
    return f"{prefix.strip('/')}/{today:%Y/%m}/{generated_name(checked)}"


def _type_names(allowed: tuple[str, ...]) -> str:
    return ", ".join(EXTENSIONS[kind].upper() for kind in allowed)


def check_upload(upload, *, allowed: tuple[str, ...], max_bytes: int) -> CheckedFile:
    """Refuse a file that is empty, too big, or whose content is not one of `allowed`."""
    size = _size(upload)
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(max)s MB.")
            % {"size": round(size / 1048576, 1), "max": round(max_bytes / 1048576, 1)},
            code="too_big",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(upload, text_ok=CSV in allowed)
    if kind not in allowed:
        raise ValidationError(
            _("The file's content is not an accepted type (%(types)s).")
            % {"types": _type_names(allowed)},
            code="bad_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        content_type=kind,
        size=size,
        sha256=digest.hexdigest(),
        name=safe_filename(getattr(upload, "name", "")),
    )


# What each kind of upload accepts. Caps come from settings (environment) at call time.
EVIDENCE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG)
DIRECTIVE_TYPES = (PDF, DOCX)
TABLE_TYPES = (XLSX, CSV)


def check_evidence(upload) -> CheckedFile:
    from django.conf import settings

    return check_upload(upload, allowed=EVIDENCE_TYPES, max_bytes=settings.EVIDENCE_MAX_BYTES)


def check_table(upload) -> CheckedFile:
    from django.conf import settings

    name = str(getattr(upload, "name", "") or "").lower()
    try:
        checked = check_upload(upload, allowed=TABLE_TYPES, max_bytes=settings.IMPORT_MAX_BYTES)
    except ValidationError as exc:
        if exc.code != "bad_type":
            raise
        upload.seek(0)
        if upload.read(len(OLE_MAGIC)) == OLE_MAGIC or name.endswith(".xls"):
            upload.seek(0)
            raise ValidationError(old_excel_message(), code="old_excel") from exc
        upload.seek(0)
        # The same words as the table reader's, which users already know.
        raise ValidationError(
            _("The file is neither an Excel (.xlsx) nor a CSV file."), code="bad_type"
        ) from exc
    if checked.content_type == CSV and name.endswith((".xlsx", ".xlsm")):
        # Text named as a workbook: read as CSV it would fail on a missing header, far from why.
        raise ValidationError(
            _(
                "The file is named as an Excel workbook but its content is not one: it may be "
                "damaged or renamed. Open it in Excel and save it again as .xlsx."
            ),
            code="not_a_workbook",
        )
    return checked
