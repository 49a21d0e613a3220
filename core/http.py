"""Request helpers with no domain of their own."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """The client's address, trusting X-Forwarded-For only for the configured proxies.

    Behind N trusted proxies the client is the N-th address from the right; trusting the
    left-most one would let anyone pick their own address and dodge the login lockout.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def attachment_response(field_file, *, filename: str, content_type: str | None = None):
    """A stored file as a download the browser must not sniff, render inline or run.

    Every download of an uploaded or generated file goes through a view that checked the user's
    scope first and then answers with this; MEDIA_URL itself is never routed.
    """
    from django.http import FileResponse, Http404

    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, *, filename: str):
    """An Excel workbook built in memory (an import template, a small report) as a download."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
