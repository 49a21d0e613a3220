"""Keeps a signed-in person on the one page that moves them on:
- waiting for approval (no role yet) -> the "waiting" page;
- a second factor due this session -> the code page (or the setup page when they have none).
The API with tokens is not affected (token users are not known yet at this point); a session
that has not passed its second factor gets 403 in the API's error shape.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device

from accounts.policy import is_pending, second_factor_due

# Pages a person in either state may still open (besides static files).
OPEN_URL_NAMES = (
    "logout",
    "accounts:pending_wait",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:recovery_codes",
    "healthz",
)


class AccountStateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        return self._open_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path in self.open_paths():
            return self.get_response(request)
        if request.path.startswith(("/static/", "/media/")):
            return self.get_response(request)
        api = request.path.startswith("/api/")
        if is_pending(user):
            if api:
                return _api_refusal(_("Your account waits for Home Affairs' approval."))
            return _send_to(request, reverse("accounts:pending_wait"))
        if second_factor_due(request):
            if api:
                return _api_refusal(_("Enter the code of your second factor first."))
            target = (
                "accounts:otp_verify"
                if user_has_device(user, confirmed=True)
                else "accounts:otp_setup"
            )
            url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
            return _send_to(request, url)
        return self.get_response(request)


def _send_to(request, url: str) -> HttpResponse:
    """A redirect; for an htmx request (the bell, a list refresh) the whole page goes there
    instead of the page being swapped into a fragment."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _api_refusal(message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": "permission_denied", "message": message}}, status=403)
