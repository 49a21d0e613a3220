"""integrations/policy.py: API tokens, webhooks and "send again" are Home Affairs' work; every
other persona (a parent unit's head included) gets 403 before the form is read; a revoked token
and a delivery being sent show no button, and the services refuse them the same way."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from integrations import policy
from integrations.models import ApiToken, DeliveryStatus, Webhook, WebhookDelivery
from integrations.services.tokens import api_token_create, api_token_revoke
from integrations.services.webhooks import delivery_resend, webhook_create

PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_sub_a", "head_b")


@pytest.fixture
def world(home_affairs):
    token = api_token_create(
        actor=home_affairs, name="Văn bản", user=home_affairs, groups=["directives"],
        can_write=False, expires_on=None,
    ).token  # fmt: skip
    hook = webhook_create(
        actor=home_affairs, name="Văn bản", url="http://127.0.0.1:9/hook",
        events=["report.submitted"], owner=home_affairs, is_active=False,
    )  # fmt: skip
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="report.submitted", occurrence_key="k", subject="-", payload={}
    )
    return {"token": token, "hook": hook, "delivery": delivery}


def test_the_role_table(people):
    for name, user in people.items():
        expected = set(policy.ROLES) if name == "home_affairs" else set()
        assert {a for a in policy.ROLES if policy.role_may(user, a)} == expected, name


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_write_refuses_other_roles_before_the_form(client, people, world, persona):
    client.force_login(people[persona])
    may = persona == "home_affairs"
    posts = {
        "token_create": reverse("integrations:token_create"),
        "webhook_create": reverse("integrations:webhook_create"),
        "webhook_edit": reverse("integrations:webhook_edit", args=[world["hook"].pk]),
    }
    for name, url in posts.items():
        status = client.post(url, {"name": ""}).status_code
        assert status == (200 if may else 403), (name, persona)  # 200: the form's errors
    if not may:
        for url in (
            reverse("integrations:token_revoke", args=[world["token"].pk]),
            reverse("integrations:delivery_resend", args=[world["delivery"].pk]),
            reverse("integrations:token_list"),
        ):
            assert client.post(url).status_code in (403, 405), (url, persona)
            assert client.get(url).status_code in (403, 405), (url, persona)
        with pytest.raises(PermissionDenied):
            api_token_revoke(token=world["token"], actor=people[persona])
        with pytest.raises(PermissionDenied):
            delivery_resend(delivery=world["delivery"], actor=people[persona])
    assert ApiToken.objects.get().revoked_at is None
    assert Webhook.objects.count() == 1


def test_the_state_rules_and_the_buttons(client, home_affairs, world):
    token, delivery = world["token"], world["delivery"]
    client.force_login(home_affairs)
    revoke = reverse("integrations:token_revoke", args=[token.pk])
    resend = reverse("integrations:delivery_resend", args=[delivery.pk])
    detail = reverse("integrations:webhook_detail", args=[world["hook"].pk])
    assert revoke in client.get(reverse("integrations:token_list")).content.decode()
    assert resend in client.get(detail).content.decode()
    # a token once revoked: no button, and revoking again changes nothing
    api_token_revoke(token=token, actor=home_affairs)
    token.refresh_from_db()
    first = token.revoked_at
    assert not policy.may(home_affairs, policy.TOKEN_REVOKE, token=token)
    assert revoke not in client.get(reverse("integrations:token_list")).content.decode()
    api_token_revoke(token=token, actor=home_affairs)
    token.refresh_from_db()
    assert token.revoked_at == first
    # a delivery being sent: no button, and "send again" is refused with a message
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING)
    delivery.refresh_from_db()
    assert not policy.may(home_affairs, policy.DELIVERY_RESEND, delivery=delivery)
    assert resend not in client.get(detail).content.decode()
    with pytest.raises(ValidationError):
        delivery_resend(delivery=delivery, actor=home_affairs)


def test_the_menu_offers_each_page_to_the_roles_of_its_action():
    # the menu's role lists are written in apps.py (it loads before the models); they must
    # stay those of the policy, or a role would see a link that answers 403
    entries = {e.url_name: e for e in apps.get_app_config("integrations").nav_entries}
    for url_name, action in {
        "integrations:token_list": policy.INTEGRATIONS_VIEW,
        "integrations:webhook_list": policy.INTEGRATIONS_VIEW,
    }.items():
        assert set(entries[url_name].roles) == set(policy.ROLES[action]), url_name
