"""The API's one error shape, with Vietnamese messages:

    {"error": {"code": "not_found", "message": "...", "fields": {"as_of": ["..."]}}}

`fields` is there for validation errors only (non-field errors under "non_field_errors").
Applied to every error DRF raises: validation (400), authentication and permission (401/403),
not found (404), method not allowed (405), throttled (429) and the rest.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.views import exception_handler

# DRF's own field messages that its Vietnamese catalogue lacks; listed here so they are in the
# portal's catalogue (which takes precedence) and reach API users in Vietnamese.
DRF_MESSAGES = (
    gettext_lazy("This field is required."),
    gettext_lazy("This field may not be null."),
    gettext_lazy("This field may not be blank."),
    gettext_lazy("A valid integer is required."),
    gettext_lazy("Invalid page."),
    gettext_lazy("Invalid cursor"),
    gettext_lazy("Request was throttled."),
    gettext_lazy("Not a valid string."),
    gettext_lazy("Must be a valid boolean."),
    gettext_lazy('Expected a list of items but got type "{input_type}".'),
    gettext_lazy("Invalid data. Expected a dictionary, but got {datatype}."),
)


def _message(exc: exceptions.APIException, code: str) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return _("The data sent is not valid; see the fields.")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return _("Sign in, or send a valid API token, to use the API.")
    if isinstance(exc, exceptions.PermissionDenied):
        detail = str(exc.detail)
        default = str(exceptions.PermissionDenied.default_detail)
        return detail if detail != default else _("You are not allowed to do this.")
    if isinstance(exc, exceptions.NotFound):
        return _("Not found, or outside what you may see.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("This method is not allowed here.")
    if isinstance(exc, exceptions.Throttled):
        if exc.wait:
            return _("Too many requests: try again in %(seconds)d seconds.") % {
                "seconds": int(exc.wait) + 1
            }
        return _("Too many requests: try again later.")
    if isinstance(exc, exceptions.ParseError):
        return _("The request body could not be read.")
    return str(exc.detail) if isinstance(exc.detail, str) else _("The request failed.")


def api_exception_handler(exc, context):
    # DRF turns Django's Http404 and PermissionDenied into its own; do it first so the code
    # and message below see the API exception.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django answers (a server error is logged as such)
    code = exc.default_code if isinstance(exc, exceptions.APIException) else "error"
    body: dict = {"code": code, "message": ""}
    if isinstance(exc, exceptions.APIException):
        body["message"] = _message(exc, code)
    if isinstance(exc, exceptions.ValidationError):
        detail = response.data
        if isinstance(detail, list | str):
            detail = {"non_field_errors": detail if isinstance(detail, list) else [detail]}
        body["fields"] = detail
        # a single non-field reason (a workflow refusal) is the message itself
        reasons = detail.get("non_field_errors") if isinstance(detail, dict) else None
        if reasons and len(detail) == 1 and isinstance(reasons, list) and len(reasons) == 1:
            body["message"] = str(reasons[0])
    response.data = {"error": body}
    return response
