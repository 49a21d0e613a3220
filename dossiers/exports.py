"""The dossier list's columns, shared by the page and its Excel and CSV exports."""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.excel import Column
from core.exports import ExportSpec, register
from core.filters import list_as_of
from dossiers import selectors
from dossiers.filters import DossierFilter
from dossiers.timeliness import Timeliness

TIMELINESS_BADGE = {
    Timeliness.EARLY: "success",
    Timeliness.ON_TIME: "primary",
    Timeliness.LATE: "danger",
    Timeliness.PENDING_WITHIN: "info",
    Timeliness.PENDING_OVERDUE: "warning",
}


def _timeliness_label(dossier) -> str:
    try:
        return str(Timeliness(dossier.timeliness).label)
    except ValueError:
        return ""


def _timeliness_html(dossier) -> str:
    try:
        value = Timeliness(dossier.timeliness)
    except ValueError:
        return "—"
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', TIMELINESS_BADGE[value], value.label
    )


DOSSIER_COLUMNS = [
    Column(
        "code",
        _("Dossier code"),
        width=24,
        link=lambda dossier: reverse("dossiers:dossier_detail", args=[dossier.pk]),
    ),
    Column("procedure", _("Procedure"), value=lambda d: d.procedure.name, width=60),
    Column("unit", _("Receiving unit"), value=lambda d: d.unit.name, width=32),
    Column("channel", _("Channel"), value=lambda d: d.get_channel_display(), width=16),
    Column("received_at", _("Received"), kind="datetime", width=17, sort="received"),
    Column("due_date", _("Due on"), kind="date", width=12, sort="due"),
    Column("state", _("State"), value=lambda d: d.get_state_display(), width=18),
    Column("timeliness", _("Timeliness"), value=_timeliness_label, html=_timeliness_html, width=24),
]


def dossier_rows(user, params):
    # The filter narrows its unit choices to the user's units through `request.user`.
    return DossierFilter(
        params,
        queryset=selectors.dossier_list(user, as_of=list_as_of(params)),
        request=SimpleNamespace(user=user),
    ).qs


register(
    ExportSpec(
        key="dossiers",
        title=_("Dossiers"),
        columns=DOSSIER_COLUMNS,
        rows=dossier_rows,
        file_stem="ho-so",
        csv=True,
    )
)
