"""The API's one error shape, with Vietnamese messages:

    {"error": {"code": "not_found", "message": "...", "fields": {"as_of": ["..."]}}}

`fields` is there for validation errors only (non-field errors under "non_field_errors").
Applied to every error DRF raises: validation (400), authentication and permission (401/403),
not found (404), method not allowed (405), throttled (429) and the rest.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import bad_request
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.serializers import as_serializer_error

from core.roles import has_role

# What the API shows of an evidence file (core.models.EvidenceFile), in every app alike.
EVIDENCE_FIELDS = ["id", "original_name", "sha256", "size", "content_type", "created_at"]

# No document the API takes is nested deeper than this; deeper is an attack or a bug, and
# Python's recursive code (the decoder, DRF's serializers) would fail on it with a 500.
MAX_JSON_DEPTH = 32

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
        # A view may say what was refused as a whole (exc.summary), the fields saying where.
        return getattr(exc, "summary", None) or _("The data sent is not valid; see the fields.")
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
        detail = str(exc.detail)
        if detail != str(exceptions.ParseError.default_detail) and not detail.startswith("JSON"):
            return detail  # one of ours, already in Vietnamese
        return _("The request body could not be read.")
    return str(exc.detail) if isinstance(exc.detail, str) else _("The request failed.")


def api_exception_handler(exc, context):
    # DRF turns Django's Http404 and PermissionDenied into its own; do it first so the code
    # and message below see the API exception.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        # a service's full_clean() refusal (a value past the column's range, a rule): 400
        exc = exceptions.ValidationError(as_serializer_error(exc))
    # Imported here: rest_framework.views reads the API settings, which name this module.
    from rest_framework.views import exception_handler

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


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "payload_too_large"
    default_detail = gettext_lazy("The request body is too large.")


def _depth(document) -> int:
    """How deeply a decoded JSON document nests, walked without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with the limits Django applies to forms: the body size
    (DATA_UPLOAD_MAX_MEMORY_SIZE) and a nesting depth, each refused as a 4xx."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            length = request.META.get("CONTENT_LENGTH") or 0
            try:
                too_large = int(length) > limit
            except ValueError:
                too_large = False
            if too_large:
                raise PayloadTooLarge()
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("The JSON document is nested too deeply.")) from exc
        if _depth(document) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(_("The JSON document is nested too deeply."))
        return document


def bad_request_view(request, exception=None):
    """Django's 400 (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a suspicious
    request): the API's error shape under /api/, the ordinary page elsewhere."""
    if not request.path.startswith("/api/"):
        return bad_request(request, exception)
    status = 400
    if isinstance(exception, RequestDataTooBig):
        code, message = "payload_too_large", _("The request body is too large.")
        status = 413
    elif isinstance(exception, TooManyFieldsSent):
        code, message = "too_many_fields", _("The request has too many fields.")
    else:
        code, message = "bad_request", _("The request could not be read.")
    return JsonResponse(
        {"error": {"code": code, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def writes_by(*roles: str) -> type[BasePermission]:
    """A permission class: any signed-in user reads, only these roles write (POST, PUT, PATCH,
    DELETE). DRF checks it before the view reads the body, so a refused write is a 403 whatever
    the body holds."""

    class WritesByRoles(BasePermission):
        def has_permission(self, request, view) -> bool:
            if not (request.user and request.user.is_authenticated):
                return False
            return request.method in SAFE_METHODS or has_role(request.user, *roles)

    WritesByRoles.__name__ = f"WritesBy{''.join(role.title().replace('_', '') for role in roles)}"
    return WritesByRoles


class PageSizePagination(PageNumberPagination):
    """Page-number paging where an integration may ask for up to 200 rows a page
    (`?page_size=`); the default stays 50."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
