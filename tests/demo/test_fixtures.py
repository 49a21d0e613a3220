"""The demo fixtures others build on: the province is there, each persona is logged in, and the
live server serves the committed demo."""

import urllib.request

from directives.models import Directive
from dossiers.models import Dossier
from tests.demo.conftest import DEMO_DOSSIERS, PERSONAS


def test_the_demo_province_is_built_at_small_scale_with_areas_on_its_directives(db, demo_province):
    assert Dossier.objects.filter(source="demo").count() == DEMO_DOSSIERS
    assert Directive.objects.filter(areas__isnull=False).exists()


def test_each_persona_opens_its_start_page(persona_client):
    for username in PERSONAS.values():
        response = persona_client(username).get("/", follow=True)
        assert response.status_code == 200, username
        assert response.wsgi_request.user.username == username


def test_the_live_server_serves_the_demo_to_a_signed_out_visitor(demo_live_server):
    with urllib.request.urlopen(f"{demo_live_server.url}/dang-nhap/") as response:  # nosec B310
        assert response.status == 200
        assert "Đăng nhập" in response.read().decode()


def test_the_demo_mails_nobody_and_leaves_a_handful_unread(db, demo_province):
    from django.db.models import Count, Q

    from notifications.demo import UNREAD_KEPT
    from notifications.models import Notification

    # every note the demo wrote is recorded as mailed: neither the immediate mail nor the
    # digest will send a year of replayed events
    assert Notification.objects.exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # and each person's bell shows a handful, Home Affairs included (not 99+)
    unread = Notification.objects.values("recipient__username").annotate(
        n=Count("pk", filter=Q(read_at__isnull=True))
    )
    counts = {row["recipient__username"]: row["n"] for row in unread}
    assert max(counts.values()) <= UNREAD_KEPT
    assert counts["noivu"] == UNREAD_KEPT
