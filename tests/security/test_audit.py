"""The audit trail: every audited model keeps history with who, when and what; the change
history page lists it; nothing audited can be hard-deleted from a view or the admin."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from directives.models import Directive
from directives.services import directive_create, directive_update
from organizations.models import OrgUnit, User
from reporting.audit import AUDITED, audit_entries, audit_union
from tasks.models import ProgressReport, Review

URL = "reporting:change_history"

# The kinds of record the issue names, and the models that hold them.
REQUIRED = {
    "directives": [Directive],
    "tasks": [AUDITED["task"].model],
    "assignments": [AUDITED["assignment"].model, AUDITED["period"].model],
    "reports": [ProgressReport],
    "reviews": [Review],
    "scores": [AUDITED["score"].model, AUDITED["assessment"].model],
    "units": [OrgUnit],
    "users": [User],
}


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_every_audited_kind_has_history_and_is_on_the_page(kind):
    audited_models = {entry.model for entry in AUDITED.values()}
    for model in REQUIRED[kind]:
        assert hasattr(model, "history"), model
        assert model in audited_models, model


def _directive(province, number="20/KH-UBND", summary="Kế hoạch cải cách hành chính"):
    return directive_create(
        number=number, issue_date=datetime.date(2026, 2, 2), summary=summary, issuer=province
    )


def test_a_change_through_the_web_records_who_made_it(client_for, home_affairs, province):
    directive = _directive(province)
    response = client_for(home_affairs).post(
        reverse("directives:directive_edit", args=[directive.pk]),
        {
            "number": "20/KH-UBND",
            "issue_date": "02/02/2026",
            "issuer": province.pk,
            "summary": "Kế hoạch CCHC năm 2026 (sửa đổi)",
            "validity": "in_force",
        },
    )
    assert response.status_code == 302
    latest = directive.history.latest()
    assert latest.history_user == home_affairs
    assert latest.summary == "Kế hoạch CCHC năm 2026 (sửa đổi)"


def test_history_page_shows_old_and_new_values_who_and_when(client_for, home_affairs, province):
    directive = _directive(province)
    directive_update(directive=directive, summary="Kế hoạch đã sửa")
    directive.history.filter(history_type="~").update(history_user=home_affairs)

    body = client_for(home_affairs).get(reverse(URL)).content.decode()

    assert "Kế hoạch cải cách hành chính → Kế hoạch đã sửa" in body
    assert home_affairs.full_name in body
    assert f"?model=directive&amp;object={directive.pk}" in body
    assert reverse("directives:directive_detail", args=[directive.pk]) in body


def test_history_is_filtered_by_record_and_kind(home_affairs, province):
    first = _directive(province, "21/KH-UBND")
    _directive(province, "22/KH-UBND")
    directive_update(directive=first, summary="Đổi trích yếu")

    rows = list(audit_union(models=["directive"], object_id=first.pk))
    entries = audit_entries(rows)

    assert [entry.action for entry in entries] == ["~", "+"]
    assert {entry.object_id for entry in entries} == {first.pk}
    assert [change.new for change in entries[0].changes] == ["Đổi trích yếu"]
    assert not list(audit_union(models=["directive"], action="-"))


def test_history_is_filtered_by_user_and_date(home_affairs, province):
    directive = _directive(province)
    directive.history.update(history_user=home_affairs)
    today = directive.history.get().history_date.date()

    assert list(audit_union(user=home_affairs, models=["directive"]))
    assert not list(
        audit_union(user=User.objects.create_user(username="nobody", password="x", role="leader"))
    )
    assert not list(audit_union(date_to=today - datetime.timedelta(days=1)))


def test_a_cancelled_assignment_shows_its_reason(client_for, home_affairs, assignment_a):
    client_for(home_affairs).post(
        reverse("tasks:assignment_manage", args=[assignment_a.pk]),
        {"action": "cancel", "reason": "Đơn vị đã sáp nhập"},
    )
    body = client_for(home_affairs).get(reverse(URL), {"model": "assignment"}).content.decode()
    assert "Đơn vị đã sáp nhập" in body


def test_cancel_without_a_reason_is_refused(client_for, home_affairs, assignment_a):
    client_for(home_affairs).post(
        reverse("tasks:assignment_manage", args=[assignment_a.pk]), {"action": "cancel"}
    )
    assignment_a.refresh_from_db()
    assert assignment_a.state != "cancelled"


@pytest.mark.parametrize("persona", ["staff_a", "head_a", "head_b", "leader"])
def test_history_page_is_for_home_affairs_only(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse(URL)).status_code == 403


# --- No hard delete --------------------------------------------------------------------------

# Delete-like URLs that exist, and why they are not a hard delete of an audited record.
DELETE_ALLOWED = {
    "core:workday_override_delete": "a calendar override, not an audited record",
    "indicators:evidence_remove": "a draft's evidence file, before the assessment is submitted",
    "indicators:criterion_delete": "a criterion of a framework still being drafted (unlocked)",
}


def _names(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


def test_no_view_offers_a_hard_delete_of_audited_records():
    names = {name for name in _names(get_resolver()) if not name.startswith("admin:")}
    deleting = {
        name
        for name in names
        if any(word in name.lower() for word in ("delete", "remove", "destroy", "xoa"))
    }
    assert deleting <= set(DELETE_ALLOWED), deleting - set(DELETE_ALLOWED)


def test_api_viewsets_of_audited_models_have_no_destroy():
    from rest_framework.mixins import DestroyModelMixin

    audited_models = {entry.model for entry in AUDITED.values()}
    for pattern in _patterns(get_resolver()):
        view_class = getattr(pattern.callback, "cls", None)
        queryset = getattr(view_class, "queryset", None)
        model = getattr(queryset, "model", None)
        if view_class and model in audited_models:
            assert not issubclass(view_class, DestroyModelMixin), view_class


def _patterns(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        else:
            yield pattern


@pytest.mark.parametrize("key", sorted(AUDITED))
def test_admin_cannot_hard_delete_an_audited_record(key, db):
    model = AUDITED[key].model
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        pytest.skip(f"{model.__name__} is not in the admin at all")
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_only_a_superuser_may_restore_an_earlier_version(client, province, home_affairs):
    directive = _directive(province)
    directive_update(directive=directive, summary="Trích yếu mới")
    first = directive.history.earliest()
    url = reverse(
        "admin:directives_directive_simple_history", args=[directive.pk, first.history_id]
    )
    staff = User.objects.create_user(
        username="nhanvien", password="x", is_staff=True, unit=province
    )
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_directive", "change_directive"])
    )
    client.force_login(staff)
    assert client.post(url, {}).status_code == 403

    superuser = User.objects.create_superuser(username="quantri", password="x", unit=province)
    client.force_login(superuser)
    page = client.get(url)
    assert page.status_code == 200
    assert "revert_disabled" in page.context and not page.context["revert_disabled"]


def test_the_record_history_link_carries_a_plain_id(client_for, home_affairs, province):
    # ids past 999 were printed "1.053" (the thousands separator): the link filtered nothing
    directive = directive_create(
        number="21/KH-UBND",
        issue_date=datetime.date(2026, 2, 2),
        summary="Kế hoạch",
        issuer=province,
    )
    Directive.objects.filter(pk=directive.pk).update(id=123456)
    directive_update(directive=Directive.objects.get(pk=123456), summary="Kế hoạch mới")
    body = client_for(home_affairs).get(reverse(URL)).content.decode()
    assert "?model=directive&amp;object=123456" in body
