"""accounts/policy.py: Home Affairs approves and deactivates accounts, in the right state; every
other persona (a parent unit's head included) gets 403 before the form is read; turning off
the second factor is each person's own unless their role requires it."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import policy, services
from core.roles import Role
from tests.factories import UserFactory

PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_sub_a", "head_b")
HA_ACTIONS = {policy.USERS_MANAGE, policy.USER_APPROVE, policy.USER_DEACTIVATE}


@pytest.fixture
def waiting(db):
    return UserFactory(username="nguoi_moi", role="", unit=None)


def test_the_role_table(people):
    for name, user in people.items():
        expected = {policy.OTP_DISABLE} | (HA_ACTIONS if name == "home_affairs" else set())
        assert {a for a in policy.ROLES if policy.role_may(user, a)} == expected, name


@pytest.mark.parametrize("persona", PERSONAS)
def test_approval_and_deactivation_refuse_other_roles_before_the_form(
    client, people, waiting, head_sub_a, persona
):
    client.force_login(people[persona])
    may = persona == "home_affairs"
    approve = client.post(reverse("accounts:user_approve", args=[waiting.pk]), {"x": "1"})
    # the deactivation of the sub-unit's head: its parent's head may not either
    deactivate = client.post(reverse("accounts:user_deactivate", args=[head_sub_a.pk]))
    pages = [
        client.get(reverse(name)).status_code
        for name in ("accounts:user_list", "accounts:pending_list")
    ]
    if may:
        assert approve.status_code == 302  # the form's message, then back to the person
        assert deactivate.status_code == 302
        assert pages == [200, 200]
    else:
        assert (approve.status_code, deactivate.status_code) == (403, 403), persona
        assert pages == [403, 403]
        head_sub_a.refresh_from_db()
        assert head_sub_a.is_active


def test_the_state_rules_of_approval_and_deactivation(home_affairs, head_a, waiting):
    # (action, person acted on) -> may, for Home Affairs
    cases = [
        (policy.USER_APPROVE, waiting, True),
        (policy.USER_APPROVE, head_a, False),  # already approved
        (policy.USER_DEACTIVATE, head_a, True),
        (policy.USER_DEACTIVATE, home_affairs, False),  # never one's own account
    ]
    for action, person, may in cases:
        assert policy.may(home_affairs, action, person=person) is may, (action, person)
    services.user_deactivate(user=head_a, actor=home_affairs)
    head_a.refresh_from_db()
    assert not policy.may(home_affairs, policy.USER_DEACTIVATE, person=head_a)
    with pytest.raises(ValidationError):
        services.user_deactivate(user=head_a, actor=home_affairs)
    with pytest.raises(ValidationError):
        services.user_approve(user=head_a, role=Role.UNIT_STAFF, unit=None, actor=home_affairs)
    with pytest.raises(PermissionDenied):
        services.user_approve(user=waiting, role=Role.UNIT_STAFF, unit=head_a.unit, actor=head_a)


def test_the_person_page_shows_only_the_buttons_that_work(client, home_affairs, head_a, waiting):
    client.force_login(home_affairs)
    deactivate = reverse("accounts:user_deactivate", args=[head_a.pk])
    page = client.get(reverse("accounts:user_detail", args=[head_a.pk]))
    assert page.context["allowed"] == {
        policy.OTP_DISABLE: True,
        policy.USER_APPROVE: False,
        policy.USER_DEACTIVATE: True,
    }
    assert deactivate in page.content.decode()
    assert reverse("accounts:user_approve", args=[head_a.pk]) not in page.content.decode()
    own = client.get(reverse("accounts:user_detail", args=[home_affairs.pk]))
    assert reverse("accounts:user_deactivate", args=[home_affairs.pk]) not in own.content.decode()
    pending = client.get(reverse("accounts:user_detail", args=[waiting.pk])).content.decode()
    assert reverse("accounts:user_approve", args=[waiting.pk]) in pending


def test_turning_off_the_second_factor_where_the_role_requires_it_is_refused(
    settings, home_affairs, head_a
):
    settings.OTP_REQUIRED = True
    assert not policy.may(home_affairs, policy.OTP_DISABLE)
    assert policy.may(head_a, policy.OTP_DISABLE)
    with pytest.raises(PermissionDenied):
        services.otp_disable(user=home_affairs)
    services.otp_disable(user=head_a)
    settings.OTP_REQUIRED = False
    assert policy.may(home_affairs, policy.OTP_DISABLE)


def test_the_menu_offers_each_page_to_the_roles_of_its_action():
    # the menu's role lists are written in apps.py (it loads before the models); they must
    # stay those of the policy, or a role would see a link that answers 403
    entries = {e.url_name: e for e in apps.get_app_config("accounts").nav_entries}
    for url_name, action in {
        "accounts:user_list": policy.USERS_MANAGE,
        "accounts:pending_list": policy.USERS_MANAGE,
    }.items():
        assert set(entries[url_name].roles) == set(policy.ROLES[action]), url_name
