"""Every PAR index page renders on the demo province (shared by tests/demo) for each kind of
user: the shared pages, every assessment (its own unit's or a 404), the framework editor (Home
Affairs and leaders only)."""

from django.urls import reverse

from indicators.models import Assessment, Framework


def test_every_page_renders_for_each_role(persona_client):
    for username in ("noivu", "lanhdao", "truong.stp", "cv.stc"):
        _check_pages(persona_client(username), username)


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
