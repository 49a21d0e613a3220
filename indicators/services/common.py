"""Helpers every indicators service module shares: the permission check and the save."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(allowed: bool) -> None:
    """Refuse an actor who may not do this (PermissionDenied: a 403 on the page)."""
    if not allowed:
        raise PermissionDenied(_("You may not do this on this assessment."))


def save(instance, actor=None) -> None:
    """full_clean() then save, recording `actor` as the history row's user."""
    if actor is not None:
        instance._history_user = actor
    instance.full_clean()
    instance.save()
