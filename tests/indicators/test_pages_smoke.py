"""Every page renders on the demo data for each kind of user."""

import pytest
from django.urls import reverse

from indicators import demo
from indicators.models import Assessment, Framework
from organizations import demo as organizations_demo
from organizations.models import User


@pytest.fixture
def demo_data(db):
    organizations_demo.load()
    demo.load()


def test_every_page_renders_for_each_role(client, demo_data):
    for username in ("noivu", "lanhdao", "truong.stp", "cv.stc"):
        client.force_login(User.objects.get(username=username))
        _check_pages(client, username)


def _check_pages(client, username):
    framework = Framework.objects.get()
    pages = [
        reverse("indicators:assessment_list"),
        reverse("indicators:ranking"),
        reverse("indicators:kpi_board"),
        reverse("indicators:index_trend"),
        reverse("indicators:framework_template"),
        reverse("indicators:framework_export", args=[framework.pk]),
    ]
    for assessment in Assessment.objects.all():
        pages.append(reverse("indicators:assessment_detail", args=[assessment.pk]))
    visible = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        visible += response.status_code == 200
    assert visible >= 7  # the shared pages plus at least the user's own assessment
    editor = client.get(reverse("indicators:framework_detail", args=[framework.pk]))
    expected = 200 if username in ("noivu", "lanhdao") else 403
    assert editor.status_code == expected
    frameworks = client.get(reverse("indicators:framework_list"))
    assert frameworks.status_code == expected
