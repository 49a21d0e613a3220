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


def evidence_response(evidence, *, inline: bool = False):
    """The one way an evidence file (core.models.EvidenceFile) leaves the portal, after the
    caller's scope check: a download by default; with `inline`, a PDF or a picture the browser
    shows itself (the review queue shows it beside the report). Inline, the type is the one the
    upload guard read from the bytes (so nothing else renders as a page), the response may be
    framed by the portal's own pages only, and a PDF is not sandboxed, since Chrome refuses to
    run its PDF viewer in a sandboxed document. Anything else still downloads."""
    from django.http import FileResponse, Http404

    kind = evidence.viewable_inline if inline else ""
    if not kind:
        return attachment_response(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "SAMEORIGIN"
    policy = "default-src 'none'; frame-ancestors 'self'"
    response["Content-Security-Policy"] = policy if kind == "pdf" else f"{policy}; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, *, filename: str):
    """An Excel workbook built in memory (an import template, a small report) as a download."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
