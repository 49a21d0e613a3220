"""The directive list's columns, shared by the page and its Excel export."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.excel import Column
from core.exports import ExportSpec, register
from directives import selectors
from directives.filters import DirectiveFilter

DIRECTIVE_COLUMNS = [
    Column(
        "number",
        _("Number"),
        width=18,
        sort="number",
        nowrap=True,
        link=lambda directive: reverse("directives:directive_detail", args=[directive.pk]),
    ),
    Column("issue_date", _("Date"), kind="date", width=12, sort="date"),
    Column("doc_type", _("Type"), value=lambda d: d.get_doc_type_display(), width=16),
    Column("issuer", _("Issuer"), value=lambda d: d.issuer_label, width=30),
    Column("summary", _("Summary"), width=70),
    Column(
        "areas",
        _("CCHC areas"),
        # the list's queryset prefetches the areas: no query per row
        value=lambda d: ", ".join(str(area.code) for area in d.areas.all()),
        width=16,
    ),
]


def directive_rows(user, params):
    return DirectiveFilter(params, queryset=selectors.directive_list(user)).qs


register(
    ExportSpec(
        key="directives",
        title=_("Directives"),
        columns=DIRECTIVE_COLUMNS,
        rows=directive_rows,
        file_stem="van-ban",
    )
)
