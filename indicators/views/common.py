from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_service(request, action: Callable[[], Any], success: str | None = None) -> bool:
    """Call a service; show its Vietnamese validation messages instead of a server error."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    if success:
        messages.success(request, success)
    return True


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def row_errors_to_messages(request, errors) -> None:
    for error in errors[:50]:
        prefix = f"Dòng {error.row}" if error.row else ""
        column = f" · {error.column}" if error.column else ""
        messages.error(request, f"{prefix}{column}: {error.message}" if prefix else error.message)
