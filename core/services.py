"""Writes to the core tables: the working-day overrides Home Affairs enters."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import WorkdayOverride


@transaction.atomic
def workday_override_create(*, date: datetime.date, kind: str, note: str = "") -> WorkdayOverride:
    if WorkdayOverride.objects.filter(date=date).exists():
        raise ValidationError({"date": _("This day already has an override; remove it first.")})
    override = WorkdayOverride(date=date, kind=kind, note=note)
    override.full_clean()
    override.save()
    return override


@transaction.atomic
def workday_override_delete(*, override: WorkdayOverride) -> None:
    override.delete()
