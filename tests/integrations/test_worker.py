"""A webhook delivery on a real Celery worker (in a thread, on the configured broker: Redis
when REDIS_URL is set): the receiver is down at first, the worker's own delayed retry delivers
it once the receiver is up."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from integrations.services.webhooks import webhook_create
from tasks import services
from tests.worker_harness import real_broker, wait_for  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_delivery_is_retried_by_the_worker_and_arrives_once(
    real_broker,  # noqa: F811 (the fixture imported above)
    receiver,
    settings,
    home_affairs,
    head_a,
    assignment_a,  # noqa: F811
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 2
    hook = webhook_create(
        actor=home_affairs, name="Văn phòng", url=receiver.url,
        events=[WebhookEvent.REPORT_SUBMITTED], owner=home_affairs,
    )  # fmt: skip
    receiver.secret = hook.secret
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # given the receiver is down when unit A submits a report (committed: events fire)
        with transaction.atomic():
            report = services.report_draft(
                assignment=assignment_a, author=head_a, percent=50, text="Đã làm một nửa"
            )
            services.report_submit(report=report, actor=head_a)
        wait_for(
            lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.RETRYING).exists(),
            timeout=30,
            what="the worker's first attempt to fail",
        )
        # when it comes back up
        receiver.start()
        # then the worker's delayed retry delivers it
        wait_for(
            lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists(),
            timeout=30,
            what="the worker to deliver on its retry",
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 2
    assert len(receiver.verified) == 1
