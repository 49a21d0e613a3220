"""Query counts of the small lists that gained a total, pinned on a small and a larger data set
(the same n): each page's queries do not grow with its rows."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.models import WorkdayOverride, WorkdayOverrideKind
from dossiers.models import DossierImport
from organizations.models import UnitImport
from tests.listpage import read_list_page


def _dossier_imports(user, count):
    for n in range(count):
        record = DossierImport(original_name=f"ho-so-{n}.xlsx", created_by=user)
        record.file.save(f"ho-so-{n}.xlsx", ContentFile(b"x"), save=True)


def _unit_imports(user, count):
    for n in range(count):
        record = UnitImport(original_name=f"don-vi-{n}.xlsx", created_by=user)
        record.file.save(f"don-vi-{n}.xlsx", ContentFile(b"x"), save=True)


def _overrides(_user, count):
    start = timezone.localdate().replace(month=1, day=1)
    for n in range(count):
        WorkdayOverride.objects.create(
            date=start + datetime.timedelta(days=n), kind=WorkdayOverrideKind.DAY_OFF
        )


# url name, how to make rows, the queries: session, user, the user's unit (menu), then the
# page's own, then the session save (savepoint, update, release)
CASES = {
    # the newest 50 imports with their uploader joined, and their total
    "dossiers:import_list": (_dossier_imports, 8),
    "organizations:unit_import_list": (_unit_imports, 8),
    # the overrides of this year and last (one statement; the total is their length)
    "core:workday_override_list": (_overrides, 7),
}


@pytest.mark.parametrize("count", [2, 30])
@pytest.mark.parametrize("url_name", list(CASES))
def test_list_query_count_does_not_grow(
    client_for, home_affairs, django_assert_num_queries, settings, tmp_path, url_name, count
):
    settings.MEDIA_ROOT = tmp_path
    make, queries = CASES[url_name]
    make(home_affairs, count)
    client = client_for(home_affairs)
    client.get(reverse(url_name))
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    # and the list says how many rows it has
    assert read_list_page(response).total == count
