"""The four roles of the portal and the checks views use. Domain-free: it reads user.role only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HOME_AFFAIRS = "home_affairs", _("Home Affairs staff")
    LEADER = "leader", _("Leadership")
    UNIT_HEAD = "unit_head", _("Unit head")
    UNIT_STAFF = "unit_staff", _("Unit staff")


# Roles that see every unit's data; the others see their own unit only.
PROVINCE_WIDE_ROLES = frozenset({Role.HOME_AFFAIRS, Role.LEADER})
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.UNIT_STAFF})


def has_role(user, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return getattr(user, "role", None) in roles


def sees_whole_province(user) -> bool:
    return has_role(user, *PROVINCE_WIDE_ROLES)


def role_required(*roles: str) -> Callable:
    """Login required, then 403 unless the user has one of the roles (superusers pass)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
