"""The audit trail: every recorded change of the audited models, newest first, as people read it.

django-simple-history writes one historical row per save (who, when, +/~/-). This module reads
those tables as one list: a UNION of the historical tables (only the columns they share) gives
the page, then one query per model on the page loads the rows and the version before each, so
the diff "old -> new" is computed without a query per row. Names (the record's own, those of the
objects its foreign keys point to, the users who made the changes) are resolved in a second pass:
one query per related model for the whole page, so the query count does not grow with the rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import CharField, QuerySet, Value
from django.urls import reverse
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


def _link(name: str, attname: str) -> Callable[[Any], str]:
    return lambda row: reverse(name, args=[getattr(row, attname)])


@dataclass(frozen=True)
class AuditedModel:
    key: str
    model: type
    # Where a person sees the record (from the historical row's own columns, no query); None
    # when the record has no page of its own.
    link: Callable[[Any], str] | None = None

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


AUDITED: dict[str, AuditedModel] = {
    entry.key: entry
    for entry in (
        AuditedModel("directive", Directive, _link("directives:directive_detail", "id")),
        AuditedModel("task", TaskModel, _link("directives:directive_detail", "directive_id")),
        AuditedModel("assignment", Assignment, _link("tasks:assignment_detail", "id")),
        AuditedModel("period", AssignmentPeriod, _link("tasks:assignment_detail", "assignment_id")),
        AuditedModel("report", ProgressReport, _link("tasks:assignment_detail", "assignment_id")),
        AuditedModel("review", Review, _link("tasks:assignment_detail", "assignment_id")),
        AuditedModel(
            "extension", DeadlineExtension, _link("tasks:assignment_detail", "assignment_id")
        ),
        AuditedModel("assessment", Assessment, _link("indicators:assessment_detail", "id")),
        AuditedModel("score", ScoreLine, _link("indicators:assessment_detail", "assessment_id")),
        AuditedModel("unit", OrgUnit, _link("organizations:unit_detail", "id")),
        AuditedModel("user", User),
    )
}

# The foreign keys a model's __str__ reads ("2718/UBND-NC · Sở Nội vụ"): loaded with the object
# (select_related, followed recursively), so naming it costs no query of its own.
NAME_RELATED: dict[type, tuple[str, ...]] = {
    Assignment: ("task", "unit"),
    AssignmentPeriod: (),
    ProgressReport: ("assignment",),
    Review: ("assignment",),
    DeadlineExtension: ("assignment",),
    Assessment: ("unit", "framework"),
    ScoreLine: ("assessment", "criterion"),
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
    url: str = ""
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
    user: User | None = None,
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
        if user is not None:
            queryset = queryset.filter(history_user=user)
        if object_id is not None:
            queryset = queryset.filter(id=object_id)
        parts.append(
            queryset.order_by()
            .annotate(model_key=Value(key, output_field=CharField()))
            .values_list("model_key", "history_id", "history_date")
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


# --- Names, loaded in bulk -------------------------------------------------------------------


def _select_paths(model: type, prefix: str = "") -> list[str]:
    paths = []
    for name in NAME_RELATED.get(model, ()):
        path = f"{prefix}{name}"
        paths.append(path)
        related = model._meta.get_field(name).related_model
        paths.extend(_select_paths(related, f"{path}__"))
    return paths


class Names:
    """Objects wanted by (model, pk), loaded with one query per model when first read."""

    def __init__(self) -> None:
        self._wanted: dict[type, set] = defaultdict(set)
        self._loaded: dict[type, dict] = {}

    def want(self, model: type, pk) -> None:
        if pk is not None:
            self._wanted[model].add(pk)

    def get(self, model: type, pk):
        if model not in self._loaded:
            manager = model._base_manager.select_related(*_select_paths(model))
            self._loaded[model] = manager.in_bulk(self._wanted.get(model, ()))
        return self._loaded[model].get(pk)

    def name(self, model: type, pk) -> str:
        obj = self.get(model, pk)
        # an object deleted since: only its number is left
        return str(obj) if obj is not None else f"#{pk}"


def _label_hops(model: type) -> list:
    return [model._meta.get_field(name) for name in NAME_RELATED.get(model, ())]


def _label(record, names: Names) -> str:
    """The record's __str__ as it was: its own columns at the time, the related objects it names
    from the page's bulk load."""
    instance = record.history_object
    for hop in _label_hops(type(instance)):
        related = names.get(hop.related_model, getattr(record, hop.attname))
        if related is None:
            return f"{instance._meta.verbose_name} #{record.id}"
        hop.set_cached_value(instance, related)
    return str(instance)


# --- Values as people read them ---------------------------------------------------------------


def _score_figures_text(figures) -> str:
    """A computed score line's figures worded as its sheet words them (indicators' own wording)."""
    from indicators.templatetags.indicators_tags import computed_detail

    detail = computed_detail(figures)
    if detail.get("unavailable"):
        return _("no figures")
    head = str(detail["label"])
    if detail["percent"] or detail["empty"]:
        head = f"{head}: {detail['percent'] or detail['empty']}"
    return "; ".join([head, *(f"{part['label']}: {part['value']}" for part in detail["parts"])])


# Structured (JSON) values a person can read, by model and field; any other is not shown as
# stored (its keys are internal), only said to have changed.
JSON_WORDING: dict[tuple[type, str], Callable[[Any], str]] = {
    (ScoreLine, "computed_figures"): _score_figures_text,
}


def _format(field_obj, value, names: Names) -> str:
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if isinstance(field_obj, models.JSONField):
        model = getattr(field_obj.model, "instance_type", field_obj.model)
        wording = JSON_WORDING.get((model, field_obj.name))
        return wording(value) if wording else _("(details changed)")
    if field_obj.is_relation and field_obj.many_to_one:
        return names.name(field_obj.related_model, value)
    if isinstance(field_obj, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    if getattr(field_obj, "choices", None):
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal | float):
        return number_format(value, use_l10n=True, force_grouping=True)
    text = " ".join(str(value).split())
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def _shown_fields(history_model) -> list:
    return [
        field_obj
        for field_obj in history_model._meta.concrete_fields
        if not field_obj.name.startswith("history_")
        and field_obj.name not in HIDDEN_FIELDS
        and field_obj.name != "id"
    ]


def _raw_changes(record, previous, fields) -> list[tuple[Any, Any, Any]]:
    """(field, old value, new value) of each field the version changed (or set, when created)."""
    changes = []
    for field_obj in fields:
        new = getattr(record, field_obj.attname)
        old = getattr(previous, field_obj.attname) if previous is not None else None
        if previous is None and new in (None, ""):
            continue
        if previous is not None and old == new:
            continue
        changes.append((field_obj, old, new))
    return changes


def _versions(page_rows: list[tuple[str, int, Any]]) -> dict[tuple[str, int], tuple[Any, Any]]:
    """Each page row's historical record and the version before it: one query per model."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for key, history_id, _when in page_rows:
        wanted[key].add(history_id)
    records: dict[tuple[str, int], tuple[Any, Any]] = {}
    for key, history_ids in wanted.items():
        history_model = _history(AUDITED[key].model)
        # The page rows' objects and every earlier version of them, in order: the row before a
        # page row in this list is its previous version.
        newest = max(when for k, _hid, when in page_rows if k == key)
        versions = history_model.objects.filter(
            id__in=history_model.objects.filter(history_id__in=history_ids).values("id"),
            history_date__lte=newest,
        ).order_by("id", "history_date", "history_id")
        previous = None
        for version in versions:
            same_object = previous is not None and previous.id == version.id
            if version.history_id in history_ids:
                records[(key, version.history_id)] = (version, previous if same_object else None)
            previous = version
    return records


def audit_entries(page_rows: list[tuple[str, int, Any]]) -> list[AuditEntry]:
    """The page's rows, readable: the record's name and link, who, and each changed field with its
    label and its old and new values formatted. Queries: one per audited model on the page, then
    one per model whose names the page shows (users included), however many rows."""
    records = _versions(page_rows)
    names = Names()
    raw: dict[tuple[str, int], list] = {}
    for (key, history_id), (record, previous) in records.items():
        names.want(User, record.history_user_id)
        for hop in _label_hops(AUDITED[key].model):
            names.want(hop.related_model, getattr(record, hop.attname))
        changes = (
            _raw_changes(record, previous, _shown_fields(type(record)))
            if record.history_type != "-"
            else []
        )
        for field_obj, old, new in changes:
            if field_obj.is_relation and field_obj.many_to_one:
                names.want(field_obj.related_model, old)
                names.want(field_obj.related_model, new)
        raw[(key, history_id)] = changes
    entries = []
    for key, history_id, _when in page_rows:
        record, _previous = records[(key, history_id)]
        audited = AUDITED[key]
        entries.append(
            AuditEntry(
                model=audited,
                history_id=history_id,
                object_id=record.id,
                when=record.history_date,
                action=record.history_type,
                user=names.get(User, record.history_user_id),
                label=_label(record, names),
                url=audited.link(record) if audited.link and record.history_type != "-" else "",
                reason=record.history_change_reason or "",
                changes=[
                    change
                    for change in (
                        Change(
                            str(field_obj.verbose_name),
                            _format(field_obj, old, names),
                            _format(field_obj, new, names),
                        )
                        for field_obj, old, new in raw[(key, history_id)]
                    )
                    # None -> {} differ as stored but read the same ("— → —"): no change to show
                    if change.old != change.new
                ],
            )
        )
    return entries
