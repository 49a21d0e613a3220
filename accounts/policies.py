"""Who must sign in with a second factor, and who still waits for approval. Read by the
middleware, the views and the services alike."""

from __future__ import annotations

from django.conf import settings
from django_otp import user_has_device

from core.roles import Role

# Roles that can change every plan or read everything: their password alone is not enough.
PRIVILEGED_ROLES = frozenset({Role.HOME_AFFAIRS, Role.LEADER})


def is_pending(user) -> bool:
    """Signed in through single sign-on but not yet given a role by Home Affairs."""
    return user.is_authenticated and not user.is_superuser and not user.role


def second_factor_required(user) -> bool:
    """Home Affairs, leadership and site administrators, when OTP_REQUIRED is on."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or user.role in PRIVILEGED_ROLES


# Whether the person had a second factor when this session signed in: read once at sign-in
# (two queries), so that every later page of everyone costs no query for it.
SESSION_HAS_DEVICE = "accounts_has_otp_device"


def remember_device(request, user) -> None:
    request.session[SESSION_HAS_DEVICE] = user_has_device(user, confirmed=True)


def second_factor_due(request) -> bool:
    """This session must pass the second factor before any page: required for the role, or
    turned on by the person."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    if second_factor_required(user):
        return True
    if SESSION_HAS_DEVICE not in request.session:
        remember_device(request, user)
    return request.session[SESSION_HAS_DEVICE]
