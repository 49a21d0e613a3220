import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.filters import ModelChoiceFilter
from organizations.models import User
from reporting.audit import ACTIONS, AUDITED, audit_union


class ChangeHistoryFilter(django_filters.FilterSet):
    """The filters of the change history page ("Lịch sử thay đổi").

    The page is a UNION of the historical tables, which cannot be filtered after the union, so
    the filters do not filter a queryset one by one: `qs` hands their cleaned values to
    audit_union, which filters each historical table before the union."""

    model = django_filters.ChoiceFilter(label=_("Kind of record"), choices=[], empty_label=_("All"))
    object = django_filters.NumberFilter(label=_("Record id"), min_value=1)
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=list(ACTIONS.items()), empty_label=_("All")
    )
    user = ModelChoiceFilter(
        label=_("Changed by"),
        queryset=User.objects.order_by("full_name", "username"),
        empty_label=_("All"),
    )
    date_from = django_filters.DateFilter(label=_("From date"))
    date_to = django_filters.DateFilter(label=_("To date"))

    def __init__(self, data=None, *args, **kwargs):
        kwargs.setdefault("queryset", audit_union())
        super().__init__(data, *args, **kwargs)
        self.filters["model"].extra["choices"] = [
            (key, capfirst(entry.model._meta.verbose_name)) for key, entry in AUDITED.items()
        ]

    def query(self) -> dict:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        model = data.get("model")
        return {
            "models": [model] if model else None,
            "action": data.get("action") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "user": data.get("user"),
            # a record id means something only within one kind of record
            "object_id": int(data["object"]) if model and data.get("object") else None,
        }

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = audit_union(**self.query())
        return self._qs
