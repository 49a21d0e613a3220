"""Two digest runs at the same moment on PostgreSQL: the claims let each person get one mail."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from notifications.services import digests_send
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_digest_runs_send_each_person_one_mail(unit_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrent runs need PostgreSQL (set DATABASE_URL)")
    mail.outbox = []
    for n in range(6):
        user = UserFactory(unit=unit_a, email=f"user{n}@stc.example")
        NotificationFactory.create_batch(2, recipient=user)
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            sent.append(digests_send())
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(sent) == 6
    assert sorted(m.to[0] for m in mail.outbox) == [f"user{n}@stc.example" for n in range(6)]
