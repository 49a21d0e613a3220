"""The bench's row of issue 16 runs on a tiny generated province: it generates the province's
annual report (figures, .docx, .xlsx), judges it against its 10 s target, and leaves nothing
behind."""

import pytest
from django.db import connection
from django.utils import timezone

from benchmarks import generate as bench
from benchmarks.run import measure_periodic_report
from core import workdays
from periodic_reports.models import ReportRound, ReportVersion

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark province is generated on PostgreSQL"
)


@pytest.mark.django_db
def test_the_annual_report_row_runs_and_cleans_up(settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    workdays.invalidate()
    bench.generate(scale=0.0004, end=timezone.localdate())
    figure = measure_periodic_report(runs=1)
    assert len(figure.samples) == 1 and figure.queries > 0
    assert figure.verdict == "pass", figure.verdict
    assert "KiB" in figure.other
    assert not ReportRound.objects.exists() and not ReportVersion.objects.exists()
