"""Kept for the imports that still use it: the upload guard lives in core.uploads."""

from core.uploads import (  # noqa: F401
    DOCX,
    EXTENSIONS,
    JPEG,
    PDF,
    PNG,
    XLSX,
    CheckedFile,
    check_upload,
    sniff,
)
