"""The audit trail: every recorded change of the audited models, newest first, with its diff.

django-simple-history writes one historical row per save (who, when, +/~/-). This module reads
those tables as one list: a UNION of the historical tables (only the columns they share) gives
the page, then one query per model on the page loads the rows and the version before each, so
the diff "old -> new" is computed without a query per row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, QuerySet, Value
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directives.models import Directive
from indicators.models import Assessment, ScoreLine
from organizations.models import OrgUnit, User
from tasks.models import Assignment, AssignmentPeriod, DeadlineExtension, ProgressReport, Review
from tasks.models import Task as TaskModel

# Fields never shown in a diff: internal keys and search columns.
HIDDEN_FIELDS = {"search_text", "issuer_key", "password", "last_login"}
VALUE_MAX = 120


@dataclass(frozen=True)
class AuditedModel:
    key: str
    model: type
    label: Callable[[Any], str]  # from the historical row's own columns, no query

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


def _numbered(row) -> str:
    return f"#{row.id}"


AUDITED: dict[str, AuditedModel] = {
    entry.key: entry
    for entry in (
        AuditedModel("directive", Directive, lambda row: row.number),
        AuditedModel("task", TaskModel, lambda row: f"{row.item_number}. {row.title}"),
        AuditedModel("assignment", Assignment, _numbered),
        AuditedModel("period", AssignmentPeriod, _numbered),
        AuditedModel("report", ProgressReport, _numbered),
        AuditedModel("review", Review, _numbered),
        AuditedModel("extension", DeadlineExtension, _numbered),
        AuditedModel("assessment", Assessment, _numbered),
        AuditedModel("score", ScoreLine, _numbered),
        AuditedModel("unit", OrgUnit, lambda row: row.name),
        AuditedModel("user", User, lambda row: row.full_name or row.username),
    )
}

ACTIONS = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    model: AuditedModel
    history_id: int
    object_id: int
    when: datetime.datetime
    action: str
    user: Any = None
    label: str = ""
    reason: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


def _history(model: type):
    return model.history.model


def audit_union(
    *,
    models: list[str] | None = None,
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    username: str = "",
    object_id: int | None = None,
) -> QuerySet:
    """One row (model key, history id, date) per recorded change, newest first."""
    parts = []
    for key in models or list(AUDITED):
        queryset = _history(AUDITED[key].model).objects.all()
        if action:
            queryset = queryset.filter(history_type=action)
        if date_from:
            queryset = queryset.filter(history_date__date__gte=date_from)
        if date_to:
            queryset = queryset.filter(history_date__date__lte=date_to)
        if username:
            queryset = queryset.filter(history_user__username__iexact=username)
        if object_id is not None:
            queryset = queryset.filter(id=object_id)
        parts.append(
            queryset.order_by()
            .annotate(model_key=Value(key, output_field=CharField()))
            .values_list("model_key", "history_id", "history_date")
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


def _format(field_obj, value) -> str:
    if value is None or value == "":
        return "—"
    if getattr(field_obj, "choices", None):
        value = dict(field_obj.flatchoices).get(value, value)
    if getattr(field_obj, "remote_field", None) is not None:
        return f"#{value}"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | float):
        return number_format(value, use_l10n=True)
    text = str(value)
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def _shown_fields(history_model) -> list:
    return [
        field_obj
        for field_obj in history_model._meta.get_fields()
        if getattr(field_obj, "concrete", False)
        and not field_obj.name.startswith("history_")
        and field_obj.name not in HIDDEN_FIELDS
        and field_obj.name != "id"
    ]


def _changes(record, previous, fields) -> list[Change]:
    changes = []
    for field_obj in fields:
        new = getattr(record, field_obj.attname)
        old = getattr(previous, field_obj.attname) if previous is not None else None
        if previous is None and new in (None, ""):
            continue
        if previous is not None and old == new:
            continue
        changes.append(
            Change(str(field_obj.verbose_name), _format(field_obj, old), _format(field_obj, new))
        )
    return changes


def audit_entries(page_rows: list[tuple[str, int, Any]]) -> list[AuditEntry]:
    """Load the page's historical rows with the version before each: one query per model on the
    page, one for the users."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for key, history_id, _when in page_rows:
        wanted[key].add(history_id)
    records: dict[tuple[str, int], tuple[Any, Any]] = {}
    for key, history_ids in wanted.items():
        history_model = _history(AUDITED[key].model)
        # The page rows' objects and every earlier version of them, in order: the row before a
        # page row in this list is its previous version.
        newest = max(when for k, _hid, when in page_rows if k == key)
        versions = list(
            history_model.objects.filter(
                id__in=history_model.objects.filter(history_id__in=history_ids).values("id"),
                history_date__lte=newest,
            ).order_by("id", "history_date", "history_id")
        )
        previous = None
        for version in versions:
            same_object = previous is not None and previous.id == version.id
            if version.history_id in history_ids:
                records[(key, version.history_id)] = (version, previous if same_object else None)
            previous = version
    user_ids = {record.history_user_id for record, _prev in records.values()}
    users = User.objects.in_bulk([pk for pk in user_ids if pk])
    entries = []
    for key, history_id, _when in page_rows:
        record, previous = records[(key, history_id)]
        audited = AUDITED[key]
        fields = _shown_fields(type(record))
        entries.append(
            AuditEntry(
                model=audited,
                history_id=history_id,
                object_id=record.id,
                when=record.history_date,
                action=record.history_type,
                user=users.get(record.history_user_id),
                label=audited.label(record),
                reason=record.history_change_reason or "",
                changes=_changes(record, previous, fields) if record.history_type != "-" else [],
            )
        )
    return entries
