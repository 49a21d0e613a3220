"""Query counts of the periodic reports' pages do not grow with the units; the PDF job stores
nothing when LibreOffice fails; the monthly brief is on the beat schedule."""

import pytest
from django.conf import settings
from django.urls import reverse

from organizations.models import UnitKind
from periodic_reports import services
from tests.factories import OrgUnitFactory
from tests.periodic_reports.conftest import DAY

pytestmark = pytest.mark.django_db


def _round_with(kinds, home_affairs, province, units: int):
    for index in range(units):
        OrgUnitFactory(code=f"X{index:03d}", name=f"Xã {index}", kind=UnitKind.COMMUNE,
                       parent=province)  # fmt: skip
    return services.round_open(actor=home_affairs, kind=kinds["q3"], year=2026, day=DAY)


@pytest.mark.parametrize("units", [2, 40])
def test_the_pages_query_counts_do_not_grow_with_the_units(
    client_for, kinds, home_affairs, province, django_assert_num_queries, units
):
    round_ = _round_with(kinds, home_affairs, province, units)
    client = client_for(home_affairs)
    pages = {
        # session, user, the rounds with their rate counts, the menu's unit, the open form's
        # report kinds, savepoint, session save, release
        reverse("periodic_reports:index"): 8,
        # session, user, the round with its counts, its reports (unit joined), the menu's unit,
        # savepoint, session save, release
        reverse("periodic_reports:round_detail", args=[round_.pk]): 8,
        # session, user, the filter's round, count, page of reports (round, unit joined),
        # the filter bar's rounds, the menu's unit, savepoint, session save, release
        reverse("periodic_reports:report_list") + f"?round={round_.pk}": 10,
    }
    for url, queries in pages.items():
        client.get(url)  # warm the session
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_a_failed_conversion_stores_nothing_and_says_why(
    settings, report_a, staff_a, home_affairs, kinds
):
    # given a saved version taken as having figures (the empty-window check is tested apart)
    version = services.report_save(report=report_a, actor=staff_a)
    version.figures["has_data"] = True
    version.save()
    # when LibreOffice exits with an error (here /bin/false stands in for it)
    settings.SOFFICE_BINARY = "false"
    row = services.pdf_request(version=version, actor=staff_a)
    row = services.pdf_run(pdf_id=row.pk)
    # then the row failed with the reason and no file was stored
    assert row.status == "failed" and "Không tạo được tệp PDF" in row.error
    assert not row.file


def test_the_monthly_brief_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["periodic-reports-monthly-brief"]
    assert entry["task"] == "periodic_reports.jobs.send_monthly_briefs_task"
    assert entry["schedule"].day_of_month == {settings.MONTHLY_BRIEF_DAY}
