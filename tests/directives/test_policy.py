"""directives/policy.py: Home Affairs alone enters and changes a directive; everyone else,
the head of a parent unit (head_a, over sub_unit_a) and of a sub-unit (head_sub_a) included,
is refused with 403 before the form, the file or the JSON body is read, on the page, in the
API and in the service, and is shown no button."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from directives import policy
from directives.models import Directive
from directives.services import directive_create, directive_update

PERSONAS = ("home_affairs", "leader", "head_a", "staff_a", "head_sub_a", "head_b")
# persona -> the actions its role may do
MAY = {
    "home_affairs": {policy.DIRECTIVE_CREATE, policy.DIRECTIVE_EDIT},
    "leader": set(),
    "head_a": set(),
    "staff_a": set(),
    "head_sub_a": set(),
    "head_b": set(),
}
GARBAGE = {"number": "", "x": "1"}


@pytest.fixture
def directive(province):
    return directive_create(
        number="5580/KH-UBND",
        issue_date=datetime.date(2026, 1, 10),
        summary="Kế hoạch cải cách hành chính năm 2026",
        issuer=province,
    )


def test_the_role_table(people):
    for name, user in people.items():
        assert {a for a in policy.ROLES if policy.role_may(user, a)} == MAY[name], name


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", [policy.DIRECTIVE_CREATE, policy.DIRECTIVE_EDIT])
def test_page_and_api_refuse_before_the_input(client, people, directive, persona, action):
    # Given a body that would fail validation
    user = people[persona]
    client.force_login(user)
    if action == policy.DIRECTIVE_CREATE:
        page = reverse("directives:directive_create")
        api = reverse("directive-list")
        api_call = client.post
    else:
        page = reverse("directives:directive_edit", args=[directive.pk])
        api = reverse("directive-detail", args=[directive.pk])
        api_call = client.patch
    # When the persona posts it to the page and to the API
    page_status = client.post(page, GARBAGE).status_code
    api_status = api_call(api, GARBAGE, content_type="application/json").status_code
    # Then a role that may reaches the validation (form 200, API 400), the others get 403
    if action in MAY[persona]:
        assert (page_status, api_status) == (200, 400)
    else:
        assert (page_status, api_status) == (403, 403)


def test_the_service_refuses_the_wrong_person_and_writes_nothing(
    directive, province, head_a, head_sub_a, home_affairs
):
    for actor in (head_a, head_sub_a):
        with pytest.raises(PermissionDenied):
            directive_create(
                number="1/KH-UBND",
                issue_date=datetime.date(2026, 2, 1),
                summary="x",
                issuer=province,
                created_by=actor,
            )
        with pytest.raises(PermissionDenied):
            directive_update(directive=directive, summary="Đổi", actor=actor)
    assert Directive.objects.count() == 1
    directive.refresh_from_db()
    assert directive.summary == "Kế hoạch cải cách hành chính năm 2026"
    # Home Affairs passes
    directive_update(directive=directive, summary="Đổi", actor=home_affairs)
    directive.refresh_from_db()
    assert directive.summary == "Đổi"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pages_show_a_button_only_where_it_works(client, people, directive, persona):
    client.force_login(people[persona])
    listing = client.get(reverse("directives:directive_list")).content.decode()
    detail = client.get(reverse("directives:directive_detail", args=[directive.pk]))
    may = persona == "home_affairs"
    assert (reverse("directives:directive_create") in listing) is may
    assert (
        reverse("directives:directive_edit", args=[directive.pk]) in detail.content.decode()
    ) is may
    assert (reverse("tasks:plan_entry", args=[directive.pk]) in detail.content.decode()) is may
    assert detail.context["allowed"][policy.DIRECTIVE_EDIT] is may
