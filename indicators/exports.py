"""The assessment list's columns for its Excel export (the ranking has its own file,
indicators.excel.ranking_xlsx, from the same RANKING_COLUMNS as its page)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.excel import Column
from core.exports import ExportSpec, register
from indicators import selectors
from indicators.filters import AssessmentFilter


def _percent(assessment):
    return None if assessment.percent is None else Decimal(str(assessment.percent)) / 100


ASSESSMENT_COLUMNS = [
    Column("framework", _("Framework"), value=lambda a: str(a.framework), width=40),
    Column("unit", _("Unit"), value=lambda a: a.unit.name, width=40),
    Column("stage", _("Stage"), value=lambda a: a.get_stage_display(), width=20),
    Column(
        "appraised",
        _("Appraised lines"),
        value=lambda a: f"{a.lines_appraised or 0}/{a.lines_to_appraise or 0}",
        width=12,
    ),
    Column("self_total", _("Self score"), kind="decimal", width=12),
    Column("total", _("Current score"), kind="decimal", width=12),
    Column("percent", "%", value=_percent, kind="percent", width=10),
    Column("band", _("Band"), value=lambda a: a.band or "", width=14),
]


def assessment_rows(user, params):
    """The same rows as the assessment list page: the user's scope, the same filter."""
    queryset = selectors.assessment_list(user).order_by(
        "-framework__year", "framework__name", "unit__code"
    )
    return AssessmentFilter(params, queryset=queryset).qs


register(
    ExportSpec(
        key="assessments",
        title=_("PAR-Index assessments"),
        columns=ASSESSMENT_COLUMNS,
        rows=assessment_rows,
        file_stem="cham-diem-chi-so-cchc",
    )
)
