"""Two requests with one Idempotency-Key at the same moment: one write, one answer."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from directives.models import Directive
from integrations.models import ApiGroup
from integrations.services.tokens import api_token_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_racing_requests_with_one_key_write_once(home_affairs, province):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a database with concurrent connections (PostgreSQL)")
    secret = api_token_create(
        actor=home_affairs, name="Văn bản", user=home_affairs, groups=[ApiGroup.DIRECTIVES],
        can_write=True, expires_on=None,
    ).secret  # fmt: skip
    body = {"number": "77/KH-UBND", "issue_date": "2026-04-01", "summary": "Kế hoạch",
            "issuer": province.pk}  # fmt: skip
    start = threading.Barrier(2)
    answers = []

    def call():
        client = Client()
        start.wait()
        try:
            response = client.post(
                reverse("directive-list"), body, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_IDEMPOTENCY_KEY="race-1",
            )  # fmt: skip
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, _body in answers] == [201, 201]
    assert answers[0][1] == answers[1][1]
    assert Directive.objects.filter(number="77/KH-UBND").count() == 1
