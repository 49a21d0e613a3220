"""Single sign-on through the province's OpenID Connect identity service (mozilla-django-oidc).

The library does the code flow (state, nonce, PKCE, token and userinfo calls); this module adds
what a government portal needs on top:
- endpoints from the issuer's discovery document when only OIDC_ISSUER is set (cached);
- the ID token checked in full: signature, issuer, audience (our client id), expiry and issue
  time, with a small clock leeway (the library checks only the signature and the nonce);
- the person mapped to an account by OIDC_USERNAME_CLAIM, then by a unique e-mail; a person who
  matches nobody gets a new account with no role, waiting for Home Affairs;
- every refusal (tampered state, wrong audience, expired token, provider down) ends on the
  login page with a Vietnamese message, never a 400 or a 500.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import services
from organizations.models import User

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 60 * 60
ENDPOINT_SETTINGS = {
    "authorization_endpoint": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo_endpoint": "OIDC_OP_USER_ENDPOINT",
    "jwks_uri": "OIDC_OP_JWKS_ENDPOINT",
}


class SignInRefused(SuspiciousOperation):
    """A single sign-on refused for a reason the person is told (in Vietnamese)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.user_message = message


def provider_config() -> dict[str, str]:
    """The provider's endpoints: explicit settings win, the rest come from the discovery
    document of OIDC_ISSUER (fetched once an hour, not at start-up)."""
    config = {key: getattr(settings, name) for key, name in ENDPOINT_SETTINGS.items()}
    config["issuer"] = settings.OIDC_ISSUER
    if all(config.values()) or not settings.OIDC_ISSUER:
        return config
    cache_key = f"oidc-discovery:{settings.OIDC_ISSUER}"
    document = cache.get(cache_key)
    if document is None:
        url = f"{settings.OIDC_ISSUER}/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("OIDC discovery failed at %s: %s", url, exc)
            raise SignInRefused(
                gettext_lazy("The identity service cannot be reached. Try again later.")
            ) from exc
        cache.set(cache_key, document, DISCOVERY_CACHE_SECONDS)
    for key in ENDPOINT_SETTINGS:
        config[key] = config[key] or document.get(key, "")
    config["issuer"] = document.get("issuer", settings.OIDC_ISSUER)
    return config


def _claim_text(claims: dict, name: str) -> str:
    value = claims.get(name)
    return str(value).strip() if value not in (None, "") else ""


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the full ID-token check and the portal's mapping."""

    def authenticate(self, request, **kwargs):
        # Password sign-ins pass through every backend: only the callback carries code + state.
        if request is None or not (request.GET.get("code") and request.GET.get("state")):
            return None
        config = provider_config()
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = config["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        self.issuer = config["issuer"]
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as exc:
            logger.warning("OIDC token or userinfo call failed: %s", exc)
            raise SignInRefused(
                gettext_lazy("The identity service refused the sign-in. Try again.")
            ) from exc

    def _verify_jws(self, payload, key):
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.PyJWTError as exc:
            raise SignInRefused(gettext_lazy("The sign-in token is not valid.")) from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SignInRefused(gettext_lazy("The sign-in token is not valid."))
        options = {"require": ["exp", "iat", "aud", "iss"]}
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer or None,
                leeway=settings.OIDC_CLOCK_LEEWAY,
                options=options if self.issuer else {"require": ["exp", "iat", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SignInRefused(gettext_lazy("The sign-in has expired. Sign in again.")) from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInRefused(
                gettext_lazy("The sign-in token was issued for another application.")
            ) from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInRefused(
                gettext_lazy("The sign-in token comes from an unknown identity service.")
            ) from exc
        except jwt.PyJWTError as exc:
            raise SignInRefused(gettext_lazy("The sign-in token is not valid.")) from exc

    def get_user(self, user_id):
        # The library's get_user would keep a deactivated person's session alive.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_claims(self, claims) -> bool:
        return bool(_claim_text(claims, settings.OIDC_USERNAME_CLAIM) or claims.get("email"))

    def filter_users_by_claims(self, claims):
        """The account named by the configured claim; else the one account with that e-mail."""
        name = _claim_text(claims, settings.OIDC_USERNAME_CLAIM)
        if name:
            users = list(User.objects.filter(username__iexact=name))
            if users:
                return users
        email = _claim_text(claims, "email")
        if email:
            users = list(User.objects.filter(email__iexact=email)[:2])
            if len(users) > 1:
                raise SignInRefused(
                    gettext_lazy(
                        "Several accounts share your e-mail address. Ask Home Affairs to fix it."
                    )
                )
            return users
        return []

    def create_user(self, claims):
        name = _claim_text(claims, settings.OIDC_USERNAME_CLAIM) or _claim_text(claims, "email")
        try:
            return services.user_create_from_sign_in(
                username=name[:150],
                email=_claim_text(claims, "email"),
                full_name=_claim_text(claims, "name"),
            )
        except ValidationError as exc:
            raise SignInRefused(gettext_lazy("The account cannot be created.")) from exc

    def get_or_create_user(self, access_token, id_token, payload):
        # The library turns a refusal in here into a silent None: keep ours visible.
        try:
            return super().get_or_create_user(access_token, id_token, payload)
        except SignInRefused:
            raise
        except SuspiciousOperation as exc:
            raise SignInRefused(gettext_lazy("The sign-in token is not valid.")) from exc


def _refuse(request, message) -> HttpResponseRedirect:
    messages.error(request, message)
    return HttpResponseRedirect(reverse("login"))


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    """Sends the person to the identity service's sign-in page."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_config()["authorization_endpoint"]
        except SignInRefused as exc:
            return _refuse(request, exc.user_message)
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The identity service sends the person back here; every refusal ends on the login page."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            response = super().get(request)
        except SignInRefused as exc:
            logger.warning("OIDC sign-in refused: %s", exc)
            return _refuse(request, exc.user_message)
        except SuspiciousOperation as exc:
            # the library's own: a state that this browser never sent (tampered or replayed)
            logger.warning("OIDC sign-in refused: %s", exc)
            return _refuse(
                request, _("The sign-in request is not valid or has expired. Sign in again.")
            )
        return response

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            message = _("This account is deactivated. Contact Home Affairs.")
        elif self.request.GET.get("error"):
            message = _("The identity service did not sign you in.")
        else:
            message = _("The sign-in request is not valid or has expired. Sign in again.")
        return _refuse(self.request, message)
