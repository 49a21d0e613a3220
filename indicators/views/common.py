from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.forms import errors_as_text
from core.http import xlsx_response  # noqa: F401 - the views import it from here
from core.tabular import ImportFailed


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


def row_errors_to_messages(request, errors) -> None:
    for error in errors[:50]:
        prefix = f"Dòng {error.row}" if error.row else ""
        column = f" · {error.column}" if error.column else ""
        messages.error(request, f"{prefix}{column}: {error.message}" if prefix else error.message)


def run_import(request, form, action: Callable[[dict[str, Any]], int], success: str) -> None:
    """An all-or-nothing import of a small file posted with the request (KPI values, indices,
    a framework, self-scores): `action(cleaned_data)` returns the count written, shown with
    `success` (a "%(count)s ..." message); a refused file lists every row error."""
    if not form.is_valid():
        messages.error(request, errors_as_text(form))
        return
    try:
        count = action(form.cleaned_data)
    except ImportFailed as exc:
        messages.error(request, _("Nothing was imported. Correct these errors and try again:"))
        row_errors_to_messages(request, exc.errors)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success % {"count": count})
