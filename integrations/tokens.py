"""API tokens: how they look, how they are checked, and the DRF authentication that uses them.

A token reads `cchc_1a2b3c4d.<43 random characters>`. The part before the dot is the prefix,
stored in clear to find the row and shown in lists; the whole token is stored only as its
SHA-256 (a random secret of 256 bits needs no slow hash). It is shown once, when made.

Send it as `Authorization: Bearer <token>` (or `Token <token>`, the header older clients of
the portal use). The portal's older tokens (rest_framework.authtoken, 40 hex characters) keep
working through DRF's TokenAuthentication, listed after this class.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from integrations.models import ApiGroup, ApiToken

PREFIX_START = "cchc_"
KEYWORDS = (b"bearer", b"token")
# last_used_at is written at most this often per token: an integration polling every second
# should not turn each read into a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def new_token() -> tuple[str, str, str]:
    """(token, prefix, sha256 of the token)."""
    prefix = PREFIX_START + secrets.token_hex(4)
    token = f"{prefix}.{secrets.token_urlsafe(32)}"
    return token, prefix, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def view_group(view) -> str | None:
    """The resource group of an API view: its `api_group`, else the app its module is in
    (directives.api.views -> "directives")."""
    group = getattr(view, "api_group", None)
    if group:
        return group
    app = type(view).__module__.split(".", 1)[0]
    return app if app in ApiGroup.values else None


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates `Bearer cchc_...` / `Token cchc_...`; any other header is left to the
    next class. Refuses (401) a revoked or expired token or one whose account is inactive;
    refuses (403) a call outside the token's resource groups or a write by a read-only token,
    before the view reads the body."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() not in KEYWORDS:
            return None
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            return None
        if not raw.startswith(PREFIX_START):
            return None  # an older token: TokenAuthentication reads it
        token = self._lookup(raw)
        self._check_scope(token, request)
        self._touch(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Token"

    @staticmethod
    def _lookup(raw: str) -> ApiToken:
        prefix = raw.split(".", 1)[0]
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.key_hash, token_hash(raw)):
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API token was revoked."))
        if token.is_expired():
            raise exceptions.AuthenticationFailed(_("This API token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this API token is disabled."))
        return token

    @staticmethod
    def _check_scope(token: ApiToken, request) -> None:
        view = (getattr(request, "parser_context", None) or {}).get("view")
        group = view_group(view) if view is not None else None
        if group is not None and group not in token.groups:
            raise exceptions.PermissionDenied(
                _("This API token does not cover %(group)s.")
                % {"group": dict(ApiGroup.choices)[group]}
            )
        if request.method not in SAFE_METHODS and not token.can_write:
            raise exceptions.PermissionDenied(_("This API token may only read."))

    @staticmethod
    def _touch(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            # a conditional update: no history row, no race with a revocation
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
