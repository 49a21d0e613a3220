"""The unit list's columns, shared by the page and its Excel export."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.excel import Column
from core.exports import ExportSpec, register
from organizations import selectors
from organizations.filters import UnitFilter

UNIT_COLUMNS = [
    Column("code", _("Code"), width=14, sort="code"),
    Column(
        "name",
        _("Name"),
        width=40,
        sort="name",
        link=lambda unit: reverse("organizations:unit_detail", args=[unit.pk]),
    ),
    Column("kind", _("Kind"), value=lambda unit: unit.get_kind_display(), width=28),
    Column("level", _("Level"), value=lambda unit: unit.get_level_display(), width=14),
    Column(
        "parent",
        _("Parent unit"),
        value=lambda unit: unit.parent.name if unit.parent_id else "",
        width=32,
    ),
    Column("valid_from", _("Valid from"), kind="date", width=14),
    Column("valid_to", _("Valid to"), kind="date", width=14),
]


def unit_rows(user, params):
    return UnitFilter(params, queryset=selectors.unit_list(user)).qs


register(
    ExportSpec(
        key="units", title=_("Units"), columns=UNIT_COLUMNS, rows=unit_rows, file_stem="don-vi"
    )
)
