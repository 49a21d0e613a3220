import factory

from notifications.models import Notification, NotificationKind


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    kind = NotificationKind.INFO
    message = factory.Sequence(lambda n: f"Thông báo thử nghiệm số {n}")
    link = "/don-vi/"
    dedupe_key = factory.Sequence(lambda n: f"info:-:test-{n}")
